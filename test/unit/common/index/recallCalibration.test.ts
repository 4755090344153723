import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterIndex } from '../../../../src/common/index/clusterIndex.ts';
import { RowMatrix } from '../../../../src/common/index/rowMatrix.ts';
import { layoutState } from '../../../../src/common/index/clusterState.ts';
import { newScratch } from '../../../../src/common/index/clusterSearch.ts';
import { measure, tieAwareRecall, tieAwareTruth } from '../../../../src/common/index/recallCalibration.ts';
import { Prng } from '../../../../src/common/index/prng.ts';

// Two identical items in different clusters, T = 0.05, k = 1:
//   cluster 0: centroid (0.6, 0.8), item 10 = (1, 0)         (row 0)
//   cluster 1: centroid (1, 0),     items 11 = (1, 0), 12 = (0, 1)
// Query (1, 0): exact search returns id 10 (equal scores keep the lower row). log Ŝ = (12, 20) − log(e¹² + 2e²⁰)
// = (−8.69, −0.69): τ = e⁻⁵ keeps cluster 1 only, whose item 11 ties the exact hit. Counting ids gives
// recall 0; it is the same answer, so tie-aware recall is 1.
test('recall counts a hit that ties the k-th exact score (duplicates in other clusters)', () => {
  const m = (rows: number[]): RowMatrix => {
    const x = new RowMatrix(2, 2);
    x.append(Float32Array.from(rows), 0, 2);
    return x;
  };
  const s = layoutState({
    points: { data: Float32Array.from([1, 0, 1, 0, 0, 1]), dim: 2 },
    ids: [10, 11, 12], itemFine: Int32Array.from([0, 1, 1]), fine: m([0.6, 0.8, 1, 0]), fineParent: Int32Array.from([0, 1]), coarse: m([0.6, 0.8, 1, 0]),
  });
  const queries = { data: Float32Array.from([1, 0]), dim: 2 };
  const truth = tieAwareTruth(s, queries, [[10]]);
  assert.equal(truth[0]!.count, 1);
  const thresholds = { temperature: 0.05, logTauCoarse: -5, logTauFine: -5 };
  const r = measure(s, { queries, truth, x: newScratch(s), thresholds, k: 1, minItems: 1 });
  assert.equal(r.recall, 1);
  assert.equal(r.scanned, 2 + 2 + 1); // rows of cluster 1, both coarse centroids, one fine centroid
  assert.equal(tieAwareRecall([{ score: 0.5 }], { count: 1, kth: 0.9 }), 0);
  assert.equal(tieAwareRecall([], { count: 0, kth: Infinity }), 1);
});

/** Unit rows with `nnz` random non-zeros of `dim` (nearly orthogonal, like hashed code vectors). */
function sparse(seed: number, n: number, dim: number, nnz: number): Float32Array {
  const rng = new Prng(seed);
  const out = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < nnz; j++) out[r * dim + Math.floor(dim * rng.next())] = rng.next() + 0.1;
    let s = 0;
    for (let d = 0; d < dim; d++) s += out[r * dim + d]! ** 2;
    for (let d = 0; d < dim; d++) out[r * dim + d]! /= Math.sqrt(s);
  }
  return out;
}

test('a recall target that needs a quantile below 0.5 is met with finite thresholds, not by keeping everything', () => {
  const dim = 128;
  const index = ClusterIndex.build({ data: sparse(1, 2000, dim, 6), dim });
  const queries = { data: sparse(2, 60, dim, 2), dim };
  // Precondition of the example: keeping the top half of the clusters (quantile 0.5) misses the target.
  index.calibrate(queries, 0.5);
  let half = 0;
  for (let i = 0; i < 60; i++) {
    const q = queries.data.subarray(i * dim, (i + 1) * dim);
    const exact = new Set(index.exactSearch(q, 10).map((h) => h.id));
    half += index.search(q, 10, { path: 'clusters' }).hits.filter((h) => exact.has(h.id)).length / exact.size;
  }
  assert.ok(half / 60 < 0.9, `quantile 0.5 already reaches ${half / 60}`);
  const r = index.calibrateForRecall(queries, 0.95, { k: 10 });
  assert.ok(r.recall >= 0.95, `recall ${r.recall}`);
  assert.ok(Number.isFinite(r.thresholds.logTauCoarse) && Number.isFinite(r.thresholds.logTauFine), JSON.stringify(r));
  assert.ok(r.quantile < 0.5 || r.fineQuantile < 0.5);
  assert.ok(r.scanned < 2000, `scanned ${r.scanned}`);
});
