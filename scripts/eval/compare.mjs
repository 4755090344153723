// Paired comparison of two retrievers from a results.jsonl of `squeeze eval`: per language and overall,
// the mean per-task difference of identifier recall (A - B) with a seeded bootstrap 95% interval.
//   node --import tsx scripts/eval/compare.mjs <results.jsonl> <A> <B>
import fs from 'node:fs';
import { bootstrapMean } from '../../src/common/eval/bootstrap.ts';

const [file, a, b] = process.argv.slice(2);
const rows = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.identifierRecall !== undefined);
const byTask = new Map();
for (const r of rows) byTask.set(`${r.id}\u0000${r.retriever}`, r);
const diffs = {};
for (const r of rows) {
  if (r.retriever !== a) continue;
  const other = byTask.get(`${r.id}\u0000${b}`);
  if (!other) continue;
  for (const key of [r.language, 'all']) (diffs[key] ??= []).push(r.identifierRecall - other.identifierRecall);
}
console.log(`| language | ${a} − ${b} (identifier recall) [95% CI] | n |\n|---|---|---:|`);
for (const [lang, d] of Object.entries(diffs).sort(([x], [y]) => (x === 'all') - (y === 'all') || x.localeCompare(y))) {
  const m = bootstrapMean(d, 1);
  console.log(`| ${lang} | ${m.mean >= 0 ? '+' : ''}${m.mean.toFixed(3)} [${m.low.toFixed(3)}, ${m.high.toFixed(3)}] | ${m.n} |`);
}
