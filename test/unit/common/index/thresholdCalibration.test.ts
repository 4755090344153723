import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowMatrix } from '../../../../src/common/index/rowMatrix.ts';
import { layoutState } from '../../../../src/common/index/clusterState.ts';
import { newScratch } from '../../../../src/common/index/clusterSearch.ts';
import { calibrateQuantile } from '../../../../src/common/index/thresholdCalibration.ts';

// Hand example in the plane, T = 1. Two coarse clusters, each with one fine child at the same centroid:
//   cluster 0: μ = (1, 0), items {(1, 0)}                 N = 1
//   cluster 1: μ = (0, 1), items {(0, 1), (0.6, 0.8)}     N = 2
// Calibration queries q1 = (1, 0), q2 = (0, 1).
// Coarse level, log Ŝ = s_c − log Σ N_k e^{s_k}:
//   q1: s = (1, 0), Z = e + 2 = 4.718282,  log Z = 1.551445 ⇒ log Ŝ = (−0.551445, −1.551445)
//   q2: s = (0, 1), Z = 1 + 2e = 6.436564, log Z = 1.862004 ⇒ log Ŝ = (−1.862004, −0.862004)
//   pooled, sorted: −1.862004, −1.551445, −0.862004, −0.551445
//   p = 0.5: h = 1.5 ⇒ −1.551445 + 0.5·(−0.862004 + 1.551445) = −1.206725
// Fine level, over the fine children of each query's coarse survivors (log Ŝ ≥ −1.206725):
//   q1 keeps coarse 0 only ⇒ candidates {fine 0}: Z = 1·e¹ ⇒ log Ŝ = 1 − 1 = 0
//   q2 keeps coarse 1 only ⇒ candidates {fine 1}: Z = 2·e¹ ⇒ log Ŝ = 1 − (1 + ln 2) = −0.693147
//   p = 0.5 over {−0.693147, 0} ⇒ −0.346574
function handState() {
  const centroids = (): RowMatrix => {
    const m = new RowMatrix(2, 2);
    m.append(Float32Array.from([1, 0, 0, 1]), 0, 2);
    return m;
  };
  return layoutState({
    points: { data: Float32Array.from([1, 0, 0, 1, 0.6, 0.8]), dim: 2 },
    ids: [10, 11, 12],
    itemFine: Int32Array.from([0, 1, 1]),
    fine: centroids(),
    fineParent: Int32Array.from([0, 1]),
    coarse: centroids(),
  });
}

test('quantile calibration reproduces the hand-computed thresholds of both levels', () => {
  const s = handState();
  const queries = { data: Float32Array.from([1, 0, 0, 1]), dim: 2 };
  const t = calibrateQuantile(s, queries, newScratch(s), { quantile: 0.5, temperature: 1, minItems: 1 });
  assert.equal(t.temperature, 1);
  assert.ok(Math.abs(t.logTauCoarse - -1.206725) < 1e-5, `coarse ${t.logTauCoarse}`);
  assert.ok(Math.abs(t.logTauFine - -0.346574) < 1e-5, `fine ${t.logTauFine}`);
});

test('a higher quantile gives a higher (stricter) threshold', () => {
  const s = handState();
  const queries = { data: Float32Array.from([1, 0, 0, 1]), dim: 2 };
  const x = newScratch(s);
  const lo = calibrateQuantile(s, queries, x, { quantile: 0.5, temperature: 1, minItems: 1 });
  const hi = calibrateQuantile(s, queries, x, { quantile: 0.9, temperature: 1, minItems: 1 });
  assert.ok(hi.logTauCoarse > lo.logTauCoarse);
  // p = 0.9 over the coarse pool: h = 2.7 ⇒ −0.862004 + 0.7·(−0.551445 + 0.862004) = −0.644613
  assert.ok(Math.abs(hi.logTauCoarse - -0.644613) < 1e-5);
});
