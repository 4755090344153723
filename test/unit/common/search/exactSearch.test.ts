import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactTopK, exactTopKSync } from '../../../../src/common/search/exactSearch.ts';
import { TopKHeap } from '../../../../src/common/search/topKHeap.ts';
import { CancellationTokenSource } from '../../../../src/common/cancellation.ts';
import { createRng } from '../../../../src/common/random.ts';

const rng = createRng;

function bySort(m: Float32Array, q: Float32Array, dim: number, k: number) {
  const scores: { index: number; score: number }[] = [];
  for (let r = 0; r < m.length / dim; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += m[r * dim + j]! * q[j]!;
    scores.push({ index: r, score: s });
  }
  return scores.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, k);
}

test('top-k equals a full sort, for several sizes of k and odd dimensions', async () => {
  const rand = rng(7);
  for (const [rows, dim, k] of [[500, 37, 10], [1000, 64, 1], [50, 5, 80], [0, 8, 3]] as const) {
    const m = Float32Array.from({ length: rows * dim }, () => rand() * 2 - 1);
    const q = Float32Array.from({ length: dim }, () => rand() * 2 - 1);
    const expected = bySort(m, q, dim, k);
    const sync = exactTopKSync(m, q, { k });
    const async_ = await exactTopK(m, q, { k, blockRows: 64 });
    assert.deepEqual(sync.map((h) => h.index), expected.map((h) => h.index));
    assert.deepEqual(async_.map((h) => h.index), expected.map((h) => h.index));
    sync.forEach((h, i) => assert.ok(Math.abs(h.score - expected[i]!.score) < 1e-4));
  }
});

test('ties keep the lower index, and a filter skips rows', () => {
  const m = new Float32Array([1, 0, 1, 0, 0.5, 0, 1, 0]);
  const q = new Float32Array([1, 0]);
  assert.deepEqual(exactTopKSync(m, q, { k: 2 }).map((h) => h.index), [0, 1]);
  assert.deepEqual(exactTopKSync(m, q, { k: 2, filter: (r) => r !== 0 }).map((h) => h.index), [1, 3]);
});

test('a cancelled token stops a large scan', async () => {
  const cts = new CancellationTokenSource();
  const m = new Float32Array(100_000 * 16);
  const q = new Float32Array(16).fill(1);
  const running = exactTopK(m, q, { k: 5, token: cts.token, blockRows: 1000 });
  cts.cancel();
  await assert.rejects(running, { name: 'CancellationError' });
});

test('bad shapes are reported', () => {
  assert.throws(() => exactTopKSync(new Float32Array(10), new Float32Array(3), { k: 1 }), /multiple/);
  assert.throws(() => exactTopKSync(new Float32Array(8), new Float32Array(2), { k: 1, dim: 4 }), /Query/);
});

test('TopKHeap keeps the best k under any insertion order', () => {
  const rand = rng(3);
  const values = Array.from({ length: 200 }, () => Math.round(rand() * 50));
  const heap = new TopKHeap(7);
  values.forEach((v, i) => heap.push(i, v));
  const expected = values.map((v, i) => ({ index: i, score: v })).sort((a, b) => b.score - a.score || a.index - b.index).slice(0, 7);
  assert.deepEqual(heap.sorted(), expected);
  assert.equal(heap.length, 7);
  assert.equal(heap.threshold, expected[6]!.score);
});
