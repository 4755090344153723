import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROMPT_LOOKUP, DraftLength, findDraft } from '../../../../src/common/generate/promptLookup.ts';

const O = DEFAULT_PROMPT_LOOKUP;

describe('findDraft', () => {
  test('continues the most recent earlier occurrence of the longest tail n-gram', () => {
    //              0  1  2  3  4  5  6  7  8  9
    const tokens = [1, 2, 3, 9, 1, 2, 3, 7, 8, 1, 2, 3];
    assert.deepEqual(findDraft(tokens, 3, O), [7, 8, 1]);
    assert.deepEqual(findDraft(tokens, 10, O), [7, 8, 1, 2, 3]);
  });

  test('falls back to shorter n-grams, and returns nothing without a match', () => {
    assert.deepEqual(findDraft([5, 6, 4, 9, 6], 2, O), [4, 9]);
    assert.deepEqual(findDraft([1, 2, 3, 4], 4, O), []);
    assert.deepEqual(findDraft([1], 4, O), []);
    assert.deepEqual(findDraft([1, 1, 1], 0, O), []);
  });

  test('respects ngramMin and the search window', () => {
    assert.deepEqual(findDraft([5, 6, 4, 9, 6], 2, { ...O, ngramMin: 2 }), []);
    const far = [7, 8, ...Array.from({ length: 50 }, (_, i) => 100 + i), 7];
    assert.deepEqual(findDraft(far, 1, O), [8]);
    assert.deepEqual(findDraft(far, 1, { ...O, window: 20 }), []);
  });

  test('a repeating loop drafts its own continuation', () => {
    assert.deepEqual(findDraft([4, 5, 6, 4, 5, 6, 4, 5], 4, O), [6, 4, 5]);
  });
});

describe('DraftLength', () => {
  test('starts short and grows on full acceptance up to the maximum', () => {
    const d = new DraftLength(O);
    assert.equal(d.next(), 2);
    d.record(2, 2);
    assert.equal(d.next(), 4);
    d.record(4, 4);
    assert.equal(d.next(), 8);
    d.record(8, 8);
    assert.equal(d.next(), 8);
  });

  test('shrinks to just past the accepted prefix on an early reject', () => {
    const d = new DraftLength(O);
    d.record(2, 2);
    d.record(4, 1);
    assert.equal(d.next(), 2);
  });

  test('zero acceptance drops to the minimum and pauses with a growing back-off', () => {
    const d = new DraftLength(O);
    d.record(4, 0);
    assert.deepEqual([d.next(), d.next(), d.next()], [0, 0, 1], 'paused for 2 steps, then the minimum');
    d.record(1, 0);
    assert.deepEqual(Array.from({ length: 5 }, () => d.next()), [0, 0, 0, 0, 1], 'then 4 steps');
    d.record(1, 0);
    assert.deepEqual(Array.from({ length: 9 }, () => d.next()), [0, 0, 0, 0, 0, 0, 0, 0, 1], 'then 8 steps');
    d.record(1, 1);
    assert.equal(d.next(), 2, 'an accepted token ends the back-off');
  });

  test('at zero acceptance over 64 steps, few rows are verified', () => {
    const d = new DraftLength(O);
    let rows = 0;
    for (let step = 0; step < 64; step++) {
      const k = d.next();
      if (k === 0) continue;
      rows += k;
      d.record(k, 0);
    }
    assert.ok(rows <= 6, `drafted ${rows} tokens`);
  });
});
