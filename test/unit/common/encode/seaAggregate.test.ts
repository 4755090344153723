import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { seaAggregate, seaAttention } from '../../../../src/common/encode/seaAggregate.ts';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= eps, `[${i}] ${a[i]} vs ${b[i]}`);
};
const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('seaAggregate', () => {
  const blocks = [Float32Array.from([1, 0, 0]), Float32Array.from([0, 1, 0]), Float32Array.from([0, 0, 2])];

  test('without weights: the normalised mean of the blocks', () => {
    close(seaAggregate(blocks), unit([1 / 3, 1 / 3, 2 / 3]));
    close(seaAggregate([Float32Array.from([3, 4])]), [0.6, 0.8]);
  });

  test('with weights: e = ½ Σ a_i e_i + ½ mean(e_i), a = softmax(w·e_i + b), then normalised', () => {
    const w = [2, 0, -1];
    const b = 0.3;
    const s = [2 * 1 + b, 0 + b, -2 + b];
    const z = s.map(Math.exp).reduce((x, y) => x + y, 0);
    const a = s.map((v) => Math.exp(v) / z);
    close(seaAttention(blocks, { w, b }), a, 1e-12);
    const e = [0.5 * a[0]! + 1 / 6, 0.5 * a[1]! + 1 / 6, 2 * (0.5 * a[2]! + 1 / 6)];
    close(seaAggregate(blocks, { w, b }), unit(e));
  });

  test('a scalar bias cancels in the softmax; zero weights give the mean', () => {
    close(seaAggregate(blocks, { w: [1, 2, 3], b: 0 }), seaAggregate(blocks, { w: [1, 2, 3], b: 50 }));
    close(seaAggregate(blocks, { w: [0, 0, 0], b: 7 }), seaAggregate(blocks));
  });

  test('large scores do not overflow; attention sums to 1', () => {
    const a = seaAttention(blocks, { w: [1000, 0, 0], b: 0 });
    assert.ok(Math.abs(a.reduce((x, y) => x + y, 0) - 1) < 1e-12);
    close(a, [1, 0, 0], 1e-12);
    const v = seaAggregate(blocks, { w: [1000, 0, 0], b: 0 });
    assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-6);
  });

  test('bad input is refused', () => {
    assert.throws(() => seaAggregate([]), /at least one block/);
    assert.throws(() => seaAggregate([Float32Array.from([1, 2]), Float32Array.from([1])]), /differ in dimension/);
    assert.throws(() => seaAggregate(blocks, { w: [1], b: 0 }), /weights have dimension 1, blocks 3/);
  });

  test('blocks that cancel out give the zero vector, not NaN', () => {
    assert.deepEqual([...seaAggregate([Float32Array.from([1, 0]), Float32Array.from([-1, 0])])], [0, 0]);
  });
});
