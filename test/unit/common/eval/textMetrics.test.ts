import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bestLineSimilarity, editSimilarity, exactMatch, goldLineHit, identifierRecall, identifiersOf, levenshtein2, missingIdentifiers,
} from '../../../../src/common/eval/textMetrics.ts';

describe('eval text metrics', () => {
  it('counts a substitution as 2 in the Levenshtein distance', () => {
    assert.equal(levenshtein2('abc', 'abc'), 0);
    assert.equal(levenshtein2('abc', 'abd'), 2);
    assert.equal(levenshtein2('abc', 'ab'), 1);
    assert.equal(levenshtein2('', 'xyz'), 3);
  });

  it('gives edit similarity 1 - Lev/(|a|+|b|)', () => {
    assert.equal(editSimilarity('abc', 'abc'), 1);
    assert.equal(editSimilarity('abc', 'abd'), 1 - 2 / 6);
    assert.equal(editSimilarity('', ''), 1);
    assert.equal(editSimilarity('ab', 'cd'), 0);
  });

  it('matches exactly after trimming', () => {
    assert.ok(exactMatch('  return x;', 'return x;'));
    assert.ok(!exactMatch('return x;', 'return y;'));
  });

  it('takes identifiers without keywords, in first-use order', () => {
    assert.deepEqual(identifiersOf('const total = this.sum(items) + other.total; return total'), ['total', 'sum', 'items', 'other']);
  });

  it('needs only identifiers the prefix lacks, and scores whole-word occurrences', () => {
    const needed = missingIdentifiers('return computeFee(order, zoneRates)', 'function f(order) {\n  ');
    assert.deepEqual(needed, ['computeFee', 'zoneRates']);
    assert.equal(identifierRecall(needed, 'export function computeFee(o, rates) {}'), 0.5);
    assert.equal(identifierRecall(needed, 'computeFeeX zoneRatesY'), 0);
    assert.equal(identifierRecall([], 'anything'), undefined);
  });

  it('hits the gold line at similarity ≥ 0.9 against any context line', () => {
    const context = 'a\n    const grandTotal = addMoney(subtotal, fee);\nb';
    assert.equal(bestLineSimilarity('const grandTotal = addMoney(subtotal, fee);', context), 1);
    assert.ok(goldLineHit('const grandTotal = addMoney(subtotal, fees);', context));
    assert.ok(!goldLineHit('return something completely different', context));
  });
});
