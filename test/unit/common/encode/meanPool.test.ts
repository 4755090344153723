import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { meanPoolNormalized } from '../../../../src/common/encode/meanPool.ts';
import { paddedTokens, planBatches } from '../../../../src/common/encode/batchPlan.ts';

describe('meanPoolNormalized', () => {
  test('averages the unmasked tokens of each row and scales to unit length', () => {
    // batch 2, seq 3, dim 2; row 0 has 2 real tokens, row 1 has 3
    const hidden = Float32Array.from([1, 2, 3, 4, 100, 100, 1, 0, 0, 1, 2, 2]);
    const out = meanPoolNormalized(hidden, [1, 1, 0, 1, 1, 1], { batch: 2, seq: 3, dim: 2 });
    const unit = (x: number, y: number) => [x / Math.hypot(x, y), y / Math.hypot(x, y)];
    const want = [...unit(2, 3), ...unit(1, 1)];
    out.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-7, `${i}: ${v} vs ${want[i]}`));
  });

  test('a row without tokens (or with a zero mean) stays zero; shapes are checked', () => {
    assert.deepEqual([...meanPoolNormalized(Float32Array.from([1, 1, -1, -1]), [0, 0, 1, 1].slice(0, 2), { batch: 1, seq: 2, dim: 2 })], [0, 0]);
    assert.deepEqual([...meanPoolNormalized(Float32Array.from([1, 1, -1, -1]), [1, 1], { batch: 1, seq: 2, dim: 2 })], [0, 0]);
    assert.throws(() => meanPoolNormalized(new Float32Array(5), [1, 1], { batch: 1, seq: 2, dim: 2 }), /expected 1×2×2/);
  });
});

describe('planBatches', () => {
  test('longest first, ties in order, at most batchSize per batch, every index once', () => {
    const lengths = [5, 30, 5, 12, 30, 1, 7];
    const plan = planBatches(lengths, 3);
    assert.deepEqual(plan, [[1, 4, 3], [6, 0, 2], [5]]);
    assert.deepEqual(plan.flat().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
    assert.ok(paddedTokens(lengths, plan) < paddedTokens(lengths, [[0, 1, 2], [3, 4, 5], [6]]), 'sorting cuts padding');
    assert.deepEqual(planBatches([], 8), []);
  });
});
