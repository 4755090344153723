import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowMatrix } from '../../../../src/common/index/rowMatrix.ts';
import { SparsePostings, rowDensity, worthPostings } from '../../../../src/common/index/sparsePostings.ts';
import { SWEEP_SHARE, postingBuffers, postingTopK } from '../../../../src/common/index/postingTopK.ts';
import { TopKHeap } from '../../../../src/common/search/topKHeap.ts';
import { Prng } from '../../../../src/common/index/prng.ts';

function matrix(dim: number, rows: readonly number[][]): RowMatrix {
  const m = new RowMatrix(dim, rows.length);
  for (const r of rows) m.append(Float32Array.from(r));
  return m;
}

// Hand example, 4 dimensions, 3 rows:
//   row 0 = (0.6, 0, 0.8, 0)   row 1 = (0, 1, 0, 0)   row 2 = (0, 0.6, 0, −0.8)
// query (0.5, 0.5, 0.5, 0.5): exact scores 0.7, 0.5, −0.1.
// Lists: d0 {0: 0.6}, d1 {1: 1, 2: 0.6}, d2 {0: 0.8}, d3 {2: −0.8}; 5 entries.
test('posting lists score a query exactly like the dense dot product (hand example)', () => {
  const m = matrix(4, [[0.6, 0, 0.8, 0], [0, 1, 0, 0], [0, 0.6, 0, -0.8]]);
  const p = SparsePostings.build(m);
  assert.equal(p.entries, 5);
  assert.deepEqual([0, 1, 2, 3].map((d) => p.length(d)), [1, 2, 1, 1]);
  const q = Float32Array.from([0.5, 0.5, 0.5, 0.5]);
  const acc = new Float32Array(3);
  p.score(q, acc);
  assert.deepEqual(Array.from(acc, (v) => Number(v.toFixed(6))), [0.7, 0.5, -0.1]);
  assert.equal(p.cost(q), 5);
  assert.equal(p.cost(Float32Array.from([0, 1, 0, 0])), 2);
});

/** n rows of `dim` with `nnz` signed non-zeros each (a few heavy, like IDF-weighted rare buckets), unit length. */
function sparseRows(seed: number, n: number, dim: number, nnz: number): Float32Array {
  const rng = new Prng(seed);
  const out = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < nnz; j++) {
      // Skewed dimensions: low ones are common (long lists, small weights), high ones rare and heavy.
      const d = Math.min(dim - 1, Math.floor(dim * rng.next() ** 2));
      out[r * dim + d] = (rng.next() < 0.5 ? -1 : 1) * (0.2 + (d / dim) * rng.next());
    }
    let s = 0;
    for (let d = 0; d < dim; d++) s += out[r * dim + d]! ** 2;
    for (let d = 0; d < dim; d++) out[r * dim + d]! /= Math.sqrt(s);
  }
  return out;
}

function exactTop(m: RowMatrix, q: Float32Array, k: number, dead: Uint8Array): string[] {
  const top = new TopKHeap(k);
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    const v = m.row(r);
    for (let d = 0; d < m.dim; d++) s += q[d]! * v[d]!;
    if (!dead[r] && s > 0) top.push(r, s);
  }
  return top.sorted().map((h) => `${h.index}:${h.score.toFixed(5)}`);
}

test('top-k through postings equals brute force, dead rows skipped, listing few entries and sweeping many', () => {
  const dim = 64;
  const n = 3000;
  const data = sparseRows(3, n, dim, 6);
  const m = new RowMatrix(dim, n);
  m.append(data, 0, n);
  const p = SparsePostings.build(m);
  const dead = new Uint8Array(n);
  for (let r = 0; r < n; r += 7) dead[r] = 1;
  const b = postingBuffers(n);
  const layouts = new Set<boolean>();
  const queries = sparseRows(5, 40, dim, 12);
  for (let i = 0; i < 100; i++) {
    // A base row plus one extra dimension (like a code query), random sparse ones, and single rare dimensions.
    let q: Float32Array;
    if (i < 40) {
      q = data.slice(((i * 37) % n) * dim, ((i * 37) % n + 1) * dim);
      q[i % dim] = 0.3;
    } else if (i < 80) q = queries.slice((i - 40) * dim, (i - 39) * dim);
    else {
      q = new Float32Array(dim);
      q[dim - 1 - (i % 8)] = 1;
    }
    const top = new TopKHeap(10);
    const stats = postingTopK(p, q, top, b, dead);
    assert.deepEqual(top.sorted().map((h) => `${h.index}:${h.score.toFixed(5)}`), exactTop(m, q, 10, dead), `query ${i}`);
    assert.equal(stats.postingsRead, p.cost(q));
    assert.equal(stats.swept, p.cost(q) >= SWEEP_SHARE * n);
    layouts.add(stats.swept);
    assert.ok(b.acc.every((v) => v === 0) && b.mark.every((v) => v === 0), 'buffers are left zeroed');
  }
  assert.deepEqual([...layouts].sort(), [false, true], 'both layouts ran');
});

test('postings are built only for sparse rows', () => {
  const rng = new Prng(9);
  const dense = new RowMatrix(32, 100);
  for (let r = 0; r < 100; r++) dense.append(Float32Array.from({ length: 32 }, () => rng.next() - 0.5));
  assert.equal(rowDensity(dense), 1);
  assert.equal(worthPostings(dense), false);
  const sparse = new RowMatrix(64, 1000);
  sparse.append(sparseRows(4, 1000, 64, 4), 0, 1000);
  assert.ok(rowDensity(sparse) <= 4 / 64);
  assert.equal(worthPostings(sparse), true);
});
