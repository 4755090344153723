import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeTokens } from '../../../../src/common/encode/codeTokens.ts';
import { bm25Idf, poolBm25Scores, type TermStatistics } from '../../../../src/common/rank/poolBm25Scores.ts';
import { CancellationTokenSource, isCancellationError } from '../../../../src/common/cancellation.ts';

function stats(docCount: number, df: Record<string, number>): TermStatistics {
  return { docCount, documentFrequency: (t) => df[t] ?? 0 };
}

test('bm25Idf: the smoothed non-negative IDF, clamped to the document count', () => {
  assert.ok(Math.abs(bm25Idf(100, 9) - Math.log(1 + 91.5 / 9.5)) < 1e-12);
  assert.ok(bm25Idf(100, 100) > 0);
  assert.equal(bm25Idf(10, 50), bm25Idf(10, 10));
});

test('poolBm25Scores: saturating term counts, length normalised by the pool mean, IDF from the repository', () => {
  const texts = ['ledger ledger ledger', 'ledger total amount', 'nothing here'];
  const s = poolBm25Scores(texts, 'ledger', stats(100, { ledger: 4 }));
  const idf = bm25Idf(100, 4);
  const mean = texts.reduce((n, t) => n + codeTokens(t).length, 0) / 3;
  const term = (tf: number, len: number): number => (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * len) / mean));
  assert.ok(Math.abs(s[0]! - term(3, 3)) < 1e-12);
  assert.ok(Math.abs(s[1]! - term(1, 3)) < 1e-12);
  assert.equal(s[2], 0);
  assert.ok(s[0]! < 3 * s[1]!, 'three occurrences count less than three times one');
});

test('poolBm25Scores: a word rare in the repository outweighs one common there, however the pool is made', () => {
  // Both words occur in two of the three candidates: the pool alone cannot tell them apart.
  const texts = ['openLedger audit', 'openLedger config', 'audit config'];
  const repo = stats(1000, { open: 500, ledger: 500, openledger: 500, audit: 3, config: 900 });
  const s = poolBm25Scores(texts, 'openLedger audit', repo);
  assert.ok(s[2]! > s[1]!, `audit (rare) beats openLedger (common): ${s.join(', ')}`);
  const flat = poolBm25Scores(texts, 'openLedger audit', stats(3, { open: 2, ledger: 2, openledger: 2, audit: 2, config: 2 }));
  assert.ok(flat[1]! > flat[2]!, 'with pool frequencies the three-token name wins');
});

test('poolBm25Scores stops when cancelled', () => {
  const source = new CancellationTokenSource();
  source.cancel();
  assert.throws(() => poolBm25Scores(['a b'], 'a', stats(1, {}), { token: source.token }), isCancellationError);
});
