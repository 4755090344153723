import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateChunkMass } from '../../../../src/common/context/attentionSpace.ts';
import type { LayerAttention } from '../../../../src/common/context/attentionTypes.ts';
import { massCoverage, topMassSet } from '../../../../src/common/context/chunkMassSets.ts';
import { exactChunkMass } from '../../../../src/common/context/exactAttention.ts';
import { clusterKeys, type HeadClusters } from '../../../../src/common/context/keyClusters.ts';
import { createRng } from '../../../../src/common/random.ts';

const D = 16;

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/**
 * 24 chunks (30–40 keys; chunks 4 and 17 only 10 keys each, aligned with a direction the queries share, so
 * attention concentrates on them), then 16 query tokens. 4 query heads over 2 KV heads.
 */
function planted(strength: number): LayerAttention {
  const rng = createRng(11);
  const sizes = Array.from({ length: 24 }, (_, c) => (c === 4 || c === 17 ? 10 : 30 + Math.floor(rng() * 11)));
  const chunkOf = [...sizes.flatMap((n, c) => new Array<number>(n).fill(c)), ...new Array<number>(16).fill(-1)];
  const length = chunkOf.length;
  const dirs = [0, 1].map(() => Array.from({ length: D }, () => gaussian(rng)));
  dirs.forEach((u) => { const n = Math.hypot(...u); u.forEach((_, i) => (u[i]! /= n)); });
  const keys = new Float32Array(2 * length * D);
  for (let g = 0; g < 2; g++) {
    for (let t = 0; t < length; t++) {
      const hot = chunkOf[t] === 4 || chunkOf[t] === 17;
      for (let i = 0; i < D; i++) keys[(g * length + t) * D + i] = gaussian(rng) * 0.5 + (hot ? strength * dirs[g]![i]! : 0);
    }
  }
  const queries = new Float32Array(4 * 16 * D);
  for (let h = 0; h < 4; h++) for (let j = 0; j < 16; j++) for (let i = 0; i < D; i++) queries[(h * 16 + j) * D + i] = gaussian(rng) * 0.5 + strength * dirs[h >> 1]![i]!;
  return { heads: 4, kvHeads: 2, headDim: D, length, keys, queryCount: 16, queries, chunkOf: Int32Array.from(chunkOf), chunks: 24 };
}

test('exact mass: every query spreads 1 over the keys it sees', () => {
  const a = planted(5);
  const all = { ...a, chunkOf: new Int32Array(a.length).fill(0), chunks: 1 };
  assert.ok(Math.abs(exactChunkMass(all)[0]! - 4 * 16) < 1e-9);
  const mass = exactChunkMass(a);
  const share = (mass[4]! + mass[17]!) / mass.reduce((s, m) => s + m, 0);
  assert.ok(share > 0.5, `planted chunks hold ${share.toFixed(3)} of the chunk mass`);
});

test('the estimate finds the chunks of the top 90% of exact mass scoring at most 20% of keys; a size-only ranking does not', () => {
  const a = planted(5);
  const exact = exactChunkMass(a);
  const clusters = clusterKeys(a, { fraction: 0.05, seed: 1 });
  const est = estimateChunkMass(a, clusters, { maxScoredFraction: 0.2 });
  const cov = massCoverage(exact, est.mass, 0.9);
  assert.ok(est.scoredFraction <= 0.2, `scored ${est.scoredFraction}`);
  assert.ok(est.centroidFraction > 0.03 && est.centroidFraction < 0.07);
  assert.equal(cov.recall, 1, `exact set ${cov.exactSet} vs estimate ${cov.estimateSet}`);
  assert.ok(cov.massCovered >= 0.9, `mass covered ${cov.massCovered}`);
  assert.ok(cov.estimateSet.length < 24);
  const sizes = Array.from({ length: 24 }, (_, c) => a.chunkOf.filter((x) => x === c).length);
  const bySize = massCoverage(exact, sizes, 0.9);
  assert.ok(bySize.massCovered < 0.9 && bySize.recall < 1, `size-only ranking covers ${bySize.massCovered}`);
});

test('with every key scored exactly the estimate is exact attention, window keys included in the partition', () => {
  const a = planted(2);
  const clusters = clusterKeys(a, { fraction: 0.05, seed: 1 });
  const est = estimateChunkMass(a, clusters, { maxScoredFraction: 1.2 });
  const exact = exactChunkMass(a);
  assert.ok(est.mass.reduce((s, m) => s + m, 0) < 4 * 16 - 0.01, 'the window keys take part of the mass');
  exact.forEach((m, c) => assert.ok(Math.abs(est.mass[c]! - m) < 1e-6, `chunk ${c}: ${est.mass[c]} vs ${m}`));
});

test('topMassSet takes the heaviest chunks until the share is held; ties go to the lower index', () => {
  assert.deepEqual(topMassSet([1, 5, 1, 3], 0.6), [1, 3]);
  assert.deepEqual(topMassSet([2, 2, 2, 2], 0.5), [0, 1]);
  assert.deepEqual(topMassSet([0, 0], 0.9), []);
});

test('the spread term brings the mass of clusters not scored exactly closer to exact attention', () => {
  const a = planted(3);
  const clusters = clusterKeys(a, { fraction: 0.05, seed: 1 });
  assert.ok(clusters.every((c) => c.spread.every((s) => s >= 0)) && clusters.some((c) => c.spread.some((s) => s > 0)));
  const exact = exactChunkMass(a);
  const norm = (m: Float64Array): number[] => { const t = m.reduce((s, x) => s + x, 0); return Array.from(m, (x) => x / t); };
  const distance = (m: Float64Array): number => norm(m).reduce((s, x, c) => s + Math.abs(x - norm(exact)[c]!), 0);
  const plain = estimateChunkMass(a, clusters, { maxScoredFraction: 0.06, spreadCorrection: false });
  const spread = estimateChunkMass(a, clusters, { maxScoredFraction: 0.06 });
  assert.equal(spread.scoredFraction, plain.scoredFraction);
  assert.ok(distance(spread.mass) < distance(plain.mass), `L1 to exact: ${distance(spread.mass).toFixed(4)} with the term, ${distance(plain.mass).toFixed(4)} without`);
});

/**
 * Hand-checked: d = 4, one head, q = (2, 0, 0, 0), so a key's logit q·k/√d is its first coordinate.
 * Chunk 0: two keys at logit 1.3 (cluster P). Chunk 1: keys at logits 3 and −1 (cluster Q: mean logit 1,
 * spread σ² = (2² + 2²) / 2 / d = 1). Chunk 2: eight keys at logit 2.3 (cluster R). Then the query token, logit 0.
 * Exact sums of exp: chunk 0 2e^1.3 = 7.34, chunk 1 e^3 + e^−1 = 20.45, chunk 2 8e^2.3 = 79.78 (+1 for the query
 * token): the top 90% is {2, 1}. Without the spread term Q's estimate is 2e^1 = 5.44 < 7.34 and the estimate's
 * top 90% is {2, 0}; with it, 2e^(1 + ½·4·1/4) = 2e^1.5 = 8.96 and the top 90% is {2, 1}.
 */
function handLayer(): { a: LayerAttention; clusters: HeadClusters[] } {
  const first = [1.3, 1.3, 3, -1, ...new Array<number>(8).fill(2.3), 0];
  const keys = new Float32Array(first.length * 4);
  first.forEach((x, t) => { keys[t * 4] = x; });
  const chunkOf = Int32Array.from([0, 0, 1, 1, ...new Array<number>(8).fill(2), -1]);
  const a: LayerAttention = { heads: 1, kvHeads: 1, headDim: 4, length: first.length, keys, queryCount: 1, queries: Float32Array.from([2, 0, 0, 0]), chunkOf, chunks: 3 };
  const centroids = Float32Array.from([1.3, 0, 0, 0, 1, 0, 0, 0, 2.3, 0, 0, 0]);
  const members = [Int32Array.from([0, 1]), Int32Array.from([2, 3]), Int32Array.from({ length: 8 }, (_, i) => 4 + i)];
  const clusters: HeadClusters = { centroids, counts: Uint32Array.from([2, 2, 8]), members, chunkCounts: [[[0, 2]], [[1, 2]], [[2, 8]]], spread: Float32Array.from([0, 1, 0]) };
  return { a, clusters: [clusters] };
}

test('hand-checked: the spread term finds a spread cluster\'s chunk that the mean logit alone misses', () => {
  const { a, clusters } = handLayer();
  const exact = exactChunkMass(a);
  assert.deepEqual(topMassSet(exact, 0.9), [2, 1]);
  // floor(0.34 · 12 keys) − 3 centroids − 1 window key = 0: no cluster is scored exactly.
  const plain = estimateChunkMass(a, clusters, { maxScoredFraction: 0.34, spreadCorrection: false });
  const spread = estimateChunkMass(a, clusters, { maxScoredFraction: 0.34 });
  assert.deepEqual(topMassSet(plain.mass, 0.9), [2, 0]);
  assert.deepEqual(topMassSet(spread.mass, 0.9), [2, 1]);
  const z = 2 * Math.exp(1.3) + 2 * Math.exp(1.5) + 8 * Math.exp(2.3) + 1;
  assert.ok(Math.abs(spread.mass[1]! - (2 * Math.exp(1.5)) / z) < 1e-6, `chunk 1: ${spread.mass[1]}`);
  assert.ok(Math.abs(spread.scoredFraction - 4 / 13) < 1e-9);
});

test('hand-checked: clusters are scored exactly in order of estimated mass, spread term included', () => {
  const { a, clusters } = handLayer();
  // floor(0.5 · 12) − 4 = 2 members: R (8) does not fit; Q (2e^1.5) outranks P (2e^1.3) though its mean logit is lower.
  const est = estimateChunkMass(a, clusters, { maxScoredFraction: 0.5 });
  const z = 2 * Math.exp(1.3) + Math.exp(3) + Math.exp(-1) + 8 * Math.exp(2.3) + 1;
  assert.ok(Math.abs(est.mass[1]! - (Math.exp(3) + Math.exp(-1)) / z) < 1e-6, `chunk 1 scored exactly: ${est.mass[1]}`);
  assert.ok(Math.abs(est.mass[0]! - (2 * Math.exp(1.3)) / z) < 1e-6);
});
