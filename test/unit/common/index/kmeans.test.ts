import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignNearest, assignRows, trainKMeans } from '../../../../src/common/index/kmeans.ts';
import { RowMatrix } from '../../../../src/common/index/rowMatrix.ts';
import { Prng } from '../../../../src/common/index/prng.ts';

// Six unit vectors in the plane, two obvious groups around the x and y axes:
//   A = (1, 0), (0.96, 0.28), (0.96, -0.28)        B = (0, 1), (0.28, 0.96), (-0.28, 0.96)
// Spherical k-means with k = 2 must end with centroid = unit(Σ group):
//   Σ A = (1 + 0.96 + 0.96, 0 + 0.28 − 0.28) = (2.92, 0) → (1, 0)
//   Σ B = (0.28 − 0.28, 1 + 0.96 + 0.96) = (0, 2.92) → (0, 1)
// Within a group cosines are ≥ 0.8432 (0.96² − 0.28²), across groups ≤ 0.5376 (2·0.28·0.96), so once one
// centroid sits in each group Lloyd's first update lands exactly on those means.
const POINTS = Float32Array.from([1, 0, 0.96, 0.28, 0.96, -0.28, 0, 1, 0.28, 0.96, -0.28, 0.96]);
const DIM = 2;

function centroidsOf(seed: number): number[][] {
  const c = trainKMeans({ data: POINTS, dim: DIM }, { k: 2, seed, iterations: 10 });
  return Array.from({ length: c.rows }, (_, i) => Array.from(c.row(i)));
}

test('k-means on the hand-checked example finds the two group means', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const got = centroidsOf(seed).sort((a, b) => b[0]! - a[0]!);
    assert.ok(Math.abs(got[0]![0]! - 1) < 1e-6 && Math.abs(got[0]![1]!) < 1e-6, `seed ${seed}: ${got[0]}`);
    assert.ok(Math.abs(got[1]![0]!) < 1e-6 && Math.abs(got[1]![1]! - 1) < 1e-6, `seed ${seed}: ${got[1]}`);
  }
});

test('k-means is deterministic for a seed', () => {
  assert.deepEqual(centroidsOf(9), centroidsOf(9));
});

test('assignment labels each point with its group and reports the cosine', () => {
  const c = trainKMeans({ data: POINTS, dim: DIM }, { k: 2, seed: 1 });
  const labels = new Int32Array(6).fill(-1);
  const scores = new Float32Array(6);
  const changed = assignNearest({ data: POINTS, dim: DIM }, c, { labels, scores });
  assert.equal(changed, 6);
  assert.equal(new Set(labels.slice(0, 3)).size, 1);
  assert.equal(new Set(labels.slice(3)).size, 1);
  assert.notEqual(labels[0], labels[3]);
  // cos((0.96, 0.28), (1, 0)) = 0.96
  assert.ok(Math.abs(scores[1]! - 0.96) < 1e-6);
  assert.ok(Math.abs(scores[0]! - 1) < 1e-6);
});

test('k larger than the number of points gives one centroid per point', () => {
  const c = trainKMeans({ data: POINTS, dim: DIM }, { k: 10, seed: 1 });
  assert.equal(c.rows, 6);
});

test('training on a sample still yields unit centroids', () => {
  const n = 500;
  const data = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const a = (i % 4) * (Math.PI / 2) + ((i * 0.618) % 0.2) - 0.1;
    data[2 * i] = Math.cos(a);
    data[2 * i + 1] = Math.sin(a);
  }
  const c = trainKMeans({ data, dim: DIM }, { k: 4, seed: 3, sampleSize: 100 });
  for (let i = 0; i < c.rows; i++) assert.ok(Math.abs(Math.hypot(c.row(i)[0]!, c.row(i)[1]!) - 1) < 1e-6);
  const angles = Array.from({ length: 4 }, (_, i) => Math.round((Math.atan2(c.row(i)[1]!, c.row(i)[0]!) * 2) / Math.PI)).map((q) => (q + 4) % 4);
  assert.deepEqual(angles.sort(), [0, 1, 2, 3]);
});

test('both assignment layouts (points as queries, points as rows) agree', () => {
  const rng = new Prng(11);
  const dim = 24;
  const n = 203;
  const data = Float32Array.from({ length: n * dim }, () => rng.gaussian());
  const cents = trainKMeans({ data, dim }, { k: 13, seed: 2 });
  const a = { labels: new Int32Array(n).fill(-1), scores: new Float32Array(n) };
  const b = { labels: new Int32Array(n).fill(-1), scores: new Float32Array(n) };
  assignNearest({ data, dim }, cents, a);
  const rows = new RowMatrix(dim, n);
  rows.append(data, 0, n);
  assignRows(rows, cents, b);
  assert.deepEqual(b.labels, a.labels);
  assert.ok(a.scores.every((s, i) => Math.abs(s - b.scores[i]!) < 1e-5));
});
