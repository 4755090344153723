// Paired comparison of two retrievers from a results.jsonl of `squeeze eval`: per language and overall,
// the mean per-task difference of a metric (A - B) with a seeded bootstrap 95% interval.
//   node --import tsx scripts/eval/compare.mjs <results.jsonl> <A> <B> [metric]
// metric: identifierRecall (default), goldLineHit, exactMatch or editSimilarity (the last two need a model run).
import fs from 'node:fs';
import { bootstrapMean } from '../../src/common/eval/bootstrap.ts';

const [file, a, b, metric = 'identifierRecall'] = process.argv.slice(2);
const value = (r) => (typeof r[metric] === 'boolean' ? Number(r[metric]) : r[metric]);
const rows = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => value(r) !== undefined);
const byTask = new Map();
for (const r of rows) byTask.set(`${r.id}\u0000${r.retriever}`, r);
const diffs = {};
for (const r of rows) {
  if (r.retriever !== a) continue;
  const other = byTask.get(`${r.id}\u0000${b}`);
  if (!other) continue;
  for (const key of [r.language, 'all']) (diffs[key] ??= []).push(value(r) - value(other));
}
console.log(`| language | ${a} − ${b} (${metric}) [95% CI] | n |\n|---|---|---:|`);
for (const [lang, d] of Object.entries(diffs).sort(([x], [y]) => (x === 'all') - (y === 'all') || x.localeCompare(y))) {
  const m = bootstrapMean(d, 1);
  console.log(`| ${lang} | ${m.mean >= 0 ? '+' : ''}${m.mean.toFixed(3)} [${m.low.toFixed(3)}, ${m.high.toFixed(3)}] | ${m.n} |`);
}
