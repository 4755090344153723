import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterIndex, type SearchHit } from '../../../../src/common/index/clusterIndex.ts';
import { RowMatrix } from '../../../../src/common/index/rowMatrix.ts';
import { layoutState } from '../../../../src/common/index/clusterState.ts';
import { newScratch } from '../../../../src/common/index/clusterSearch.ts';
import { POSTING_COST_FLOATS, choosePath, postingSearchState } from '../../../../src/common/index/postingSearch.ts';
import { SparsePostings } from '../../../../src/common/index/sparsePostings.ts';
import { Prng } from '../../../../src/common/index/prng.ts';

// Hand example in the plane, T = 1 (as in thresholdCalibration.test.ts): coarse 0 = fine 0 = (1, 0) with
// item 10 = (1, 0); coarse 1 = fine 1 = (0, 1) with items 11 = (0, 1) and 12 = (0.6, 0.8).
// Query (1, 0): coarse log Ŝ = (1, 0) − log(e + 2) = (−0.551445, −1.551445).
// Hierarchical mass of a member of fine f under coarse c: N_c Ŝ_c · e^{s_f} / Σ_{f' ∈ c} N_f' e^{s_f'}:
//   item 10: 1 · e^{−0.551445} · e¹ / (1 · e¹) = 0.576117
//   item 12: 2 · e^{−1.551445} · e⁰ / (2 · e⁰) = 0.211942   (score 0.6; item 11 scores 0: not a hit)
test('the postings path returns exact hits with the hand-computed two-level mass', () => {
  const centroids = (): RowMatrix => {
    const m = new RowMatrix(2, 2);
    m.append(Float32Array.from([1, 0, 0, 1]), 0, 2);
    return m;
  };
  const s = layoutState({
    points: { data: Float32Array.from([1, 0, 0, 1, 0.6, 0.8]), dim: 2 },
    ids: [10, 11, 12], itemFine: Int32Array.from([0, 1, 1]), fine: centroids(), fineParent: Int32Array.from([0, 1]), coarse: centroids(),
  });
  const p = SparsePostings.build(s.rows);
  const { hits, explain } = postingSearchState(s, p, Float32Array.from([1, 0]), newScratch(s), { k: 3, temperature: 1 });
  assert.deepEqual(hits.map((h) => h.id), [10, 12]);
  assert.ok(Math.abs(hits[0]!.mass - 0.576117) < 1e-5, `mass ${hits[0]!.mass}`);
  assert.ok(Math.abs(hits[1]!.mass - 0.211942) < 1e-5, `mass ${hits[1]!.mass}`);
  assert.equal(explain.postingsRead, 2);
  assert.equal(explain.vectorsScored, 2);
});

const DIM = 64;

/** Unit rows with `nnz` signed non-zeros in skewed dimensions (low ones common), like hashed code vectors. */
function sparseRows(seed: number, n: number, nnz: number): Float32Array {
  const rng = new Prng(seed);
  const out = new Float32Array(n * DIM);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < nnz; j++) out[r * DIM + Math.floor(DIM * rng.next() ** 2)] = (rng.next() < 0.5 ? -1 : 1) * (0.2 + rng.next());
    let s = 0;
    for (let d = 0; d < DIM; d++) s += out[r * DIM + d]! ** 2;
    for (let d = 0; d < DIM; d++) out[r * DIM + d]! /= Math.sqrt(s);
  }
  return out;
}

const row = (data: Float32Array, i: number): Float32Array => data.subarray(i * DIM, (i + 1) * DIM);
const brief = (hits: readonly SearchHit[]): string[] => hits.filter((h) => h.score > 0).map((h) => `${h.id}:${h.score.toFixed(5)}`);

test('an index of sparse rows reads postings and matches exact search, also after adds and removes', () => {
  const data = sparseRows(1, 1500, 5);
  const index = ClusterIndex.build({ data, dim: DIM });
  assert.equal(index.hasPostings, true);
  const queries = sparseRows(2, 30, 3);
  const check = (label: string): void => {
    for (let i = 0; i < 30; i++) {
      const { hits, explain } = index.search(row(queries, i), 10, { path: 'postings' });
      assert.deepEqual(brief(hits), brief(index.exactSearch(row(queries, i), 10)), `${label} query ${i}`);
      assert.ok(explain.postingsRead !== undefined);
      for (const h of hits) assert.ok(h.mass > 0 && h.mass <= 1 && Number.isInteger(h.cluster), `${label} mass ${h.mass}`);
    }
  };
  check('built');
  for (let id = 0; id < 1500; id += 5) index.remove(id);
  const extra = sparseRows(3, 200, 5);
  for (let i = 0; i < 200; i++) index.add(5000 + i, row(extra, i));
  check('updated');
  index.compact();
  check('compacted');
});

test('the automatic choice reads postings for a short sparse query and clusters for a dense index', () => {
  // The last dimension is set in three rows only: its list (3 entries) costs less than any fine centroid.
  const data = sparseRows(4, 2000, 2);
  for (let r = 3; r < 2000; r++) data[r * DIM + DIM - 1] = 0;
  const index = ClusterIndex.build({ data, dim: DIM });
  const q = new Float32Array(DIM);
  q[DIM - 1] = 1;
  assert.ok(index.search(q, 10).explain.postingsRead !== undefined);
  assert.equal(index.search(q, 10, { path: 'clusters' }).explain.postingsRead, undefined);
  const rng = new Prng(5);
  const dense = ClusterIndex.build({ data: Float32Array.from({ length: 500 * DIM }, () => rng.gaussian()), dim: DIM });
  assert.equal(dense.hasPostings, false);
  assert.equal(dense.search(q, 10, { path: 'postings' }).explain.postingsRead, undefined);
});

// One coarse and one fine cluster of 400 rows (dim 8): the fine centroids cost 8 floats, the member scan
// 400 × 8 = 3,200. Dimension 1 is set in 20 rows (20 × POSTING_COST_FLOATS floats of postings), dimension
// 2 in 300 rows. Only the second step of the choice (after routing the fine level) tells them apart.
test('the automatic choice weighs the postings against the member scan once the fine level is routed', () => {
  const dim = 8;
  const n = 400;
  const data = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    data[r * dim] = 1;
    if (r < 20) data[r * dim + 1] = 0.5 + r / 100;
    if (r < 300) data[r * dim + 2] = 0.2 + r / 1000;
  }
  const one = (v: number[]): RowMatrix => {
    const m = new RowMatrix(dim, 1);
    m.append(Float32Array.from(v), 0, 1);
    return m;
  };
  const s = layoutState({
    points: { data, dim }, ids: Array.from({ length: n }, (_, i) => i), itemFine: new Int32Array(n),
    fine: one([1, 0, 0, 0, 0, 0, 0, 0]), fineParent: Int32Array.from([0]), coarse: one([1, 0, 0, 0, 0, 0, 0, 0]),
  });
  const p = SparsePostings.build(s.rows);
  const x = newScratch(s);
  const t = { temperature: 0.05, logTauCoarse: -Infinity, logTauFine: -Infinity, minItems: 10 };
  const unit = (d: number): Float32Array => Float32Array.from({ length: dim }, (_, i) => (i === d ? 1 : 0));
  assert.ok(20 * POSTING_COST_FLOATS > s.fine.stride && 20 * POSTING_COST_FLOATS < n * s.rows.stride, 'precondition: between the two bounds');
  assert.ok(300 * POSTING_COST_FLOATS > n * s.rows.stride, 'precondition: above the member scan');
  assert.equal(choosePath(s, p, unit(1), x, t), 'postings');
  const r = choosePath(s, p, unit(2), x, t);
  assert.notEqual(r, 'postings');
  assert.deepEqual(r !== 'postings' && r.fineKept, [0]);
});
