import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { buildRetrievedContext } from '../../../../src/common/assemble/retrievedContext.ts';
import { cursorNameWeights } from '../../../../src/common/rank/cursorNameWeights.ts';
import { nameOverlapScores } from '../../../../src/common/rank/nameOverlapScores.ts';
import { ranksOf, reciprocalRankFusion } from '../../../../src/common/rank/reciprocalRankFusion.ts';
import { rerankByCursorNames } from '../../../../src/common/rank/rerankByCursorNames.ts';
import { CancellationTokenSource, isCancellationError } from '../../../../src/common/cancellation.ts';

function code(path: string, text: string): Chunk {
  return { path, language: 'typescript', span: { start: 0, end: text.length }, startLine: 1, endLine: text.split('\n').length, symbolPath: [], text, definitions: [], parser: 'lines' };
}

// The line above the cursor names `openLedger` and `id`, which only c.ts holds; cosine prefers a.ts
// (its words `orders`, `order`, `total` share tokens with the prefix) although it holds one cursor name.
const PREFIX = 'function settle(order: Order) {\n  const total = order.total;\n  const ledger = openLedger(order.id);\n  ';
const CANDIDATES = [
  { chunk: code('a.ts', 'export function sumOrders(orders: Order[]) {\n  return orders.reduce(add, 0);\n}'), score: 0.9 },
  { chunk: code('c.ts', 'export function openLedger(id: string): Ledger {\n  return ledgers.get(id);\n}'), score: 0.85 },
  { chunk: code('b.ts', 'export function orderTotal(order: Order) {\n  return order.amount;\n}'), score: 0.8 },
  { chunk: code('d.ts', 'const unrelated = 1;'), score: 0.4 },
];

test('cursorNameWeights: names nearer the cursor weigh more; keywords are left out; only the last lines count', () => {
  const w = cursorNameWeights('far = 1\nconst a = b;\nreturn c', { decay: 0.5, lines: 2 });
  assert.deepEqual([...w.entries()].sort(), [['a', 0.5], ['b', 0.5], ['c', 1]]);
  assert.equal(cursorNameWeights('x = 1\ny = x\n', { decay: 0.5 }).get('x'), 0.5);
  assert.equal(cursorNameWeights('').size, 0);
});

test('cursorNameWeights: with the text after the cursor, names of its first lines weigh by their distance below the cursor line', () => {
  const w = cursorNameWeights('const a = b;\nreturn ', { decay: 0.5, after: 'c;\nd(e)\nf = g\nfar = 1', linesAfter: 3 });
  assert.deepEqual([...w.entries()].sort(), [['a', 0.5], ['b', 0.5], ['c', 1], ['d', 0.5], ['e', 0.5], ['f', 0.25], ['g', 0.25]]);
  assert.equal(cursorNameWeights('x = 1\n', { decay: 0.5, after: '\ny = x' }).get('x'), 0.5, 'the closer side wins');
});

test('the completion context also reranks by the names after the cursor', () => {
  // The cursor sits on the line above the one that calls openLedger: only the text after the cursor names it.
  const prefix = 'function settle(order: Order) {\n  const total = order.total;\n  ';
  const suffix = '\n  const ledger = openLedger(order.id);\n}';
  const opts = { surface: 'completion' as const, query: 'q', budgetChars: 130, style: 'comment' as const, prefix, createdAt: 0 };
  const before = buildRetrievedContext(CANDIDATES, opts);
  assert.ok(!before.text.includes('c.ts'), before.text);
  const after = buildRetrievedContext(CANDIDATES, { ...opts, suffix });
  assert.ok(after.text.includes('// c.ts:1-3'), after.text);
  assert.ok(!after.text.includes('a.ts'), after.text);
});

test('nameOverlapScores: weight × pool IDF of the cursor names each text holds', () => {
  const w = new Map([['ledger', 1], ['order', 0.5]]);
  const s = nameOverlapScores(['order ledger', 'order', 'nothing'], w);
  assert.ok(Math.abs(s[0]! - (Math.log(1 + 3 / 1) + 0.5 * Math.log(1 + 3 / 2))) < 1e-12);
  assert.ok(Math.abs(s[1]! - 0.5 * Math.log(1 + 3 / 2)) < 1e-12);
  assert.equal(s[2], 0);
  const source = new CancellationTokenSource();
  source.cancel();
  assert.throws(() => nameOverlapScores(['a'], w, source.token), isCancellationError);
});

test('reciprocalRankFusion: 1 / (k + rank) summed over lists; ties broken by the tie-break values, then index', () => {
  assert.deepEqual(ranksOf([1, 3, 3, 0], [0, 0, 1, 0]), [2, 1, 0, 3]);
  const f = reciprocalRankFusion([[3, 2, 1], [1, 2, 3]], 10, [3, 2, 1]);
  assert.deepEqual(f.map((x) => +x.toFixed(6)), [+(1 / 10 + 1 / 12).toFixed(6), +(2 / 11).toFixed(6), +(1 / 12 + 1 / 10).toFixed(6)]);
});

test('rerankByCursorNames puts the chunk holding the rare cursor name ahead of higher-cosine ones', () => {
  const cosineOrder = [...CANDIDATES].sort((a, b) => b.score - a.score).map((c) => c.chunk.path);
  assert.deepEqual(cosineOrder, ['a.ts', 'c.ts', 'b.ts', 'd.ts']);
  const ranked = rerankByCursorNames(CANDIDATES, PREFIX);
  assert.deepEqual(ranked.map((c) => c.chunk.path), ['c.ts', 'a.ts', 'b.ts', 'd.ts']);
  assert.ok(ranked.every((c, i) => i === 0 || c.score <= ranked[i - 1]!.score), 'scores follow the new order');
});

test('rerankByCursorNames keeps cosine order without cursor names, and leaves non-positive scores last, untouched', () => {
  const withZero = [...CANDIDATES, { chunk: code('z.ts', 'ledger ledger'), score: 0 }];
  const ranked = rerankByCursorNames(withZero, '\n   ');
  assert.deepEqual(ranked.map((c) => [c.chunk.path, c.score]), [['a.ts', 0.9], ['c.ts', 0.85], ['b.ts', 0.8], ['d.ts', 0.4], ['z.ts', 0]]);
  assert.equal(rerankByCursorNames(withZero, PREFIX).at(-1)?.chunk.path, 'z.ts');
});

test('the completion context runs the reranking: the rare-name chunk is packed first (best last in the text)', () => {
  const { text, report } = buildRetrievedContext(CANDIDATES, { surface: 'completion', query: 'q', budgetChars: 130, style: 'comment', prefix: PREFIX, createdAt: 0 });
  assert.ok(text.includes('// c.ts:1-3'), text);
  assert.ok(!text.includes('a.ts'), text);
  assert.deepEqual(report.items.map((i) => [i.path, i.status]), [['a.ts', 'dropped'], ['c.ts', 'included'], ['b.ts', 'dropped'], ['d.ts', 'included']]);
});

test('reciprocalRankFusion weighs each list', () => {
  const f = reciprocalRankFusion([[3, 2, 1], [1, 2, 3]], 10, [3, 2, 1], [1, 0.5]);
  assert.ok(Math.abs(f[0]! - (1 / 10 + 0.5 / 12)) < 1e-12);
  assert.ok(Math.abs(f[2]! - (1 / 12 + 0.5 / 10)) < 1e-12);
});

// Cosine prefers a.ts, the cursor names prefer b.ts: a tie that the cosine breaks, unless BM25 for the
// query (whose rare word `audit` only b.ts holds) is fused too.
const TIED = [
  { chunk: code('a.ts', 'export const settings = loadSettings(config);'), score: 0.9 },
  { chunk: code('b.ts', 'export function auditLedger(ledger: Ledger) {\n  return audit(ledger);\n}'), score: 0.8 },
];
const TIED_PREFIX = 'const ledger = openBook();\n';
const STATS = { docCount: 100, documentFrequency: (t: string) => (t === 'audit' ? 2 : 50) };

test('rerankByCursorNames fuses BM25 for the query, given the repository\'s term statistics', () => {
  assert.deepEqual(rerankByCursorNames(TIED, TIED_PREFIX).map((c) => c.chunk.path), ['a.ts', 'b.ts']);
  const ranked = rerankByCursorNames(TIED, TIED_PREFIX, { query: 'audit the ledger', termStatistics: STATS });
  assert.deepEqual(ranked.map((c) => c.chunk.path), ['b.ts', 'a.ts']);
  assert.deepEqual(rerankByCursorNames(TIED, TIED_PREFIX, { query: 'audit the ledger' }).map((c) => c.chunk.path), ['a.ts', 'b.ts'], 'no statistics, no BM25');
});
