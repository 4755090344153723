// Several paired comparisons from one results.jsonl of `squeeze eval`, one column each, per language and
// overall: the mean per-task difference (A − B) with a seeded bootstrap 95% interval, bold when the
// interval is above 0 (the same numbers as compare.mjs, side by side).
//   node --import tsx scripts/eval/pairedTable.mjs <results.jsonl> [--metric M] A:B [A:B ...]
// e.g. ... results.jsonl ours:bm25 ours:windows ours:bm25+novel
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { bootstrapMean } from '../../src/common/eval/bootstrap.ts';

const { values, positionals } = parseArgs({ options: { metric: { type: 'string' } }, allowPositionals: true });
const [file, ...pairs] = positionals;
const metric = values.metric ?? 'identifierRecall';
const value = (r) => (typeof r[metric] === 'boolean' ? Number(r[metric]) : r[metric]);
const rows = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => value(r) !== undefined);
const byTask = new Map(rows.map((r) => [`${r.id}\u0000${r.retriever}`, r]));

/** language (and 'all') → per-task differences A − B. */
function differences(a, b) {
  const out = {};
  for (const r of rows) {
    const other = r.retriever === a ? byTask.get(`${r.id}\u0000${b}`) : undefined;
    if (!other) continue;
    for (const key of [r.language, 'all']) (out[key] ??= []).push(value(r) - value(other));
  }
  return out;
}

const fmt = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
const cell = (d) => {
  const m = bootstrapMean(d, 1);
  const text = `${fmt(m.mean)} [${fmt(m.low).replace('+', '')}, ${fmt(m.high).replace('+', '')}]`;
  return { text: m.low > 0 ? `**${text}**` : text, n: m.n };
};
const columns = pairs.map((p) => p.split(':')).map(([a, b]) => ({ title: `${a} − ${b}`, diffs: differences(a, b) }));
const languages = Object.keys(columns[0]?.diffs ?? {}).sort((x, y) => (x === 'all') - (y === 'all') || x.localeCompare(y));
console.log(`| language | ${columns.map((c) => c.title).join(' | ')} | n |`);
console.log(`|---|${columns.map(() => '---|').join('')}---:|`);
for (const lang of languages) {
  const cells = columns.map((c) => cell(c.diffs[lang] ?? []));
  console.log(`| ${lang} | ${cells.map((c) => c.text).join(' | ')} | ${cells[0].n} |`);
}
