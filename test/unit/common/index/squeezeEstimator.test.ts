import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logMass, logPartition, selectClusters } from '../../../../src/common/index/squeezeEstimator.ts';
import { quantile } from '../../../../src/common/index/vectorMath.ts';

// Hand example: T = 0.5, three clusters with q·μ = (0.5·ln 4, 0.5·ln 2, 0) so that s = q·μ/T = (ln 4, ln 2, 0),
// and N = (1, 2, 1) members.
//   Z = Σ N_k e^{s_k} = 1·4 + 2·2 + 1·1 = 9
//   Ŝ = e^{s}/Z = (4/9, 2/9, 1/9) = (0.4444, 0.2222, 0.1111)
//   Σ N_c Ŝ_c = 4/9 + 4/9 + 1/9 = 1          (the estimate is a distribution over members)
const T = 0.5;
const SIMS = Float32Array.from([0.5 * Math.log(4), 0.5 * Math.log(2), 0]);
const COUNTS = Uint32Array.from([1, 2, 1]);
const ALL = [0, 1, 2];

test('estimator: log Z and Ŝ match the hand computation', () => {
  const logZ = logPartition(SIMS, COUNTS, ALL, T);
  assert.ok(Math.abs(logZ - Math.log(9)) < 1e-6);
  const s = ALL.map((c) => Math.exp(logMass(SIMS[c]!, logZ, T)));
  [4 / 9, 2 / 9, 1 / 9].forEach((want, c) => assert.ok(Math.abs(s[c]! - want) < 1e-6, `Ŝ_${c} = ${s[c]}`));
  assert.ok(Math.abs(s.reduce((a, v, c) => a + v * COUNTS[c]!, 0) - 1) < 1e-6);
});

test('estimator: empty clusters are left out of Z', () => {
  // Dropping cluster 1 (N = 0): Z = 4 + 1 = 5.
  assert.ok(Math.abs(logPartition(SIMS, Uint32Array.from([1, 0, 1]), ALL, T) - Math.log(5)) < 1e-6);
  assert.equal(logPartition(SIMS, new Uint32Array(3), ALL, T), -Infinity);
});

test('estimator: log space does not overflow at tiny temperatures', () => {
  // s = 1/1e-4 = 10⁴ would overflow exp(); Z = 1·e^{10⁴} + 2·e^{0} ⇒ log Z = 10⁴ + log(1 + 2e^{−10⁴}) = 10⁴.
  const logZ = logPartition(Float32Array.from([1, 0]), Uint32Array.from([1, 2]), [0, 1], 1e-4);
  assert.ok(Math.abs(logZ - 1e4) < 1e-6);
});

test('selection keeps clusters with Ŝ ≥ τ, topping up by similarity to minItems members', () => {
  const logZ = Math.log(9);
  const args = { sims: SIMS, counts: COUNTS, temperature: T, logZ };
  // τ = 0.2: Ŝ = (0.444, 0.222, 0.111) ⇒ clusters 0 and 1 pass.
  assert.deepEqual(selectClusters(ALL, { ...args, logTau: Math.log(0.2), minItems: 1 }), [0, 1]);
  // τ = 0.5: none passes; minItems 1 adds the most similar (cluster 0, 1 member) ...
  assert.deepEqual(selectClusters(ALL, { ...args, logTau: Math.log(0.5), minItems: 1 }), [0]);
  // ... minItems 2 needs cluster 1 as well (1 + 2 = 3 ≥ 2 members).
  assert.deepEqual(selectClusters(ALL, { ...args, logTau: Math.log(0.5), minItems: 2 }), [0, 1]);
  // τ = 0 (log τ = −∞) keeps every non-empty cluster.
  assert.deepEqual(selectClusters(ALL, { ...args, logTau: -Infinity, minItems: 1 }), [0, 1, 2]);
});

test('quantile: type-7 interpolation on hand values', () => {
  // h = (n − 1)·p: p = 0.5 → h = 2 → 3;  p = 0.9 → h = 3.6 → 4 + 0.6·(5 − 4) = 4.6;  p = 0 → 1; p = 1 → 5.
  const v = [5, 1, 4, 2, 3];
  assert.equal(quantile(v, 0.5), 3);
  assert.ok(Math.abs(quantile(v, 0.9) - 4.6) < 1e-12);
  assert.equal(quantile(v, 0), 1);
  assert.equal(quantile(v, 1), 5);
  assert.equal(quantile([-Infinity, 0], 0), -Infinity);
});
