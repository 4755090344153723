import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapMean, mean, percentile } from '../../../../src/common/eval/bootstrap.ts';

describe('eval bootstrap', () => {
  it('is deterministic for a seed and brackets the mean', () => {
    const values = [0, 1, 1, 0, 1, 0.5, 0.25, 1, 0, 1];
    const a = bootstrapMean(values, 7);
    assert.deepEqual(bootstrapMean(values, 7), a);
    assert.equal(a.mean, mean(values));
    assert.ok(a.low <= a.mean && a.mean <= a.high);
    assert.ok(a.high - a.low > 0.1);
    assert.equal(a.n, values.length);
  });

  it('has zero width for constant values and handles no values', () => {
    assert.deepEqual(bootstrapMean([0.5, 0.5, 0.5]), { mean: 0.5, low: 0.5, high: 0.5, n: 3 });
    assert.deepEqual(bootstrapMean([]), { mean: 0, low: 0, high: 0, n: 0 });
  });

  it('takes nearest-rank percentiles', () => {
    assert.equal(percentile([5, 1, 3], 0.5), 3);
    assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
    assert.equal(percentile([], 0.5), 0);
  });
});
