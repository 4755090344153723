import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterIndex, type SearchHit } from '../../../../src/common/index/clusterIndex.ts';
import { IndexFormatError } from '../../../../src/common/index/clusterSerialization.ts';
import { Prng } from '../../../../src/common/index/prng.ts';

const DIM = 16;
const KEEP_ALL = { temperature: 0.05, logTauCoarse: -Infinity, logTauFine: -Infinity };

/**
 * n unit vectors around `nBlobs` centres drawn from `seed` (N(0,1) per coordinate, noise 0.35 per
 * coordinate: cos(x, centre) ≈ 0.94); `draw` picks the noise stream, so the same seed with another draw
 * gives new points (queries) around the same centres.
 */
function blobs(seed: number, n: number, nBlobs: number, draw = 0): Float32Array {
  const crng = new Prng(seed);
  const centres = Float32Array.from({ length: nBlobs * DIM }, () => crng.gaussian());
  const rng = new Prng(seed * 7919 + draw + 1);
  const out = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const b = i % nBlobs;
    let norm = 0;
    for (let d = 0; d < DIM; d++) {
      const v = centres[b * DIM + d]! + 0.35 * rng.gaussian();
      out[i * DIM + d] = v;
      norm += v * v;
    }
    for (let d = 0; d < DIM; d++) out[i * DIM + d]! /= Math.sqrt(norm);
  }
  return out;
}

const row = (data: Float32Array, i: number): Float32Array => data.subarray(i * DIM, (i + 1) * DIM);
const brief = (hits: SearchHit[]): string[] => hits.map((h) => `${h.id}:${h.score.toFixed(6)}`);

test('keeping every cluster (τ = 0) gives recall 1.0 and scores every vector', () => {
  const data = blobs(1, 600, 6);
  const index = ClusterIndex.build({ data, dim: DIM }, undefined, { fineFraction: 0.05, coarseFraction: 0.2 });
  const queries = blobs(1, 30, 6, 1);
  for (let i = 0; i < 30; i++) {
    const { hits, explain } = index.search(row(queries, i), 10, { thresholds: KEEP_ALL });
    assert.deepEqual(brief(hits), brief(index.exactSearch(row(queries, i), 10)));
    assert.equal(explain.coarseKept, explain.coarseClusters);
    assert.equal(explain.vectorsScored, 600);
  }
});

test('hits carry their fine cluster and an estimated mass in (0, 1], best first', () => {
  const data = blobs(3, 400, 4);
  const index = ClusterIndex.build({ data, dim: DIM });
  const { hits, explain } = index.search(row(data, 5), 5);
  assert.equal(hits[0]!.id, 5);
  assert.ok(Math.abs(hits[0]!.score - 1) < 1e-5);
  for (const h of hits) assert.ok(h.mass > 0 && h.mass <= 1 && Number.isInteger(h.cluster));
  assert.ok(hits.every((h, i) => i === 0 || hits[i - 1]!.score >= h.score));
  assert.ok(explain.vectorsScored < 400 && explain.fineKept <= explain.fineScored);
});

test('the 5% rule sizes both levels, and the fractions are options', () => {
  const data = blobs(4, 2000, 10);
  assert.equal(ClusterIndex.build({ data, dim: DIM }).health().coarseClusters, 5);
  const h = ClusterIndex.build({ data, dim: DIM }, undefined, { fineFraction: 0.01, coarseFraction: 0.5 }).health();
  assert.ok(Math.abs(h.fineClusters - 20) <= 3, `${h.fineClusters}`); // 1% of 2000, rounded per coarse group
  assert.equal(h.coarseClusters, 10);
});

test('incremental adds, removes and updates match a compacted layout exactly', () => {
  const data = blobs(5, 500, 5);
  const extra = blobs(5, 60, 5, 1);
  const index = ClusterIndex.build({ data, dim: DIM }, undefined, { fineFraction: 0.05, coarseFraction: 0.2 });
  for (let i = 0; i < 60; i++) index.add(1000 + i, row(extra, i));
  for (let i = 0; i < 40; i++) assert.ok(index.remove(i * 3));
  index.update(1001, row(data, 7));
  assert.equal(index.remove(99999), false);
  assert.equal(index.size, 500 + 60 - 40);
  const queries = blobs(5, 20, 5, 2);
  const before = Array.from({ length: 20 }, (_, i) => brief(index.search(row(queries, i), 8).hits));
  index.compact();
  const after = Array.from({ length: 20 }, (_, i) => brief(index.search(row(queries, i), 8).hits));
  assert.deepEqual(after, before);
  assert.equal(index.health().extraRows, 0);
  assert.ok(!index.exactSearch(row(data, 3), 500).some((h) => h.id === 3), 'removed item is gone');
});

test('incremental updates give the same search results as a rebuild (well-separated example)', () => {
  // Four tight blobs: any clustering puts each blob in its own clusters, so the nearest-centroid rule
  // routes new items exactly where a rebuild would, and lookups with the same thresholds agree.
  const all = blobs(8, 400, 4);
  const rebuilt = ClusterIndex.build({ data: all, dim: DIM }, undefined, { fineFraction: 0.02, coarseFraction: 0.5 });
  const grown = ClusterIndex.build({ data: all.subarray(0, 300 * DIM), dim: DIM }, undefined, { fineFraction: 0.02, coarseFraction: 0.5 });
  for (let i = 300; i < 400; i++) grown.add(i, row(all, i));
  for (let i = 0; i < 20; i++) grown.remove(i);
  for (let i = 0; i < 20; i++) grown.add(i, row(all, i));
  const t = { temperature: 0.05, logTauCoarse: Math.log(1e-4), logTauFine: Math.log(1e-4) };
  const queries = blobs(8, 24, 4, 1);
  for (let i = 0; i < 24; i++) {
    const a = rebuilt.search(row(queries, i), 10, { thresholds: t }).hits;
    const b = grown.search(row(queries, i), 10, { thresholds: t });
    assert.deepEqual(brief(b.hits), brief(a), `query ${i}`);
    assert.ok(b.explain.vectorsScored < 200, 'the lookup prunes (one blob of four is about 100 items)');
  }
});

test('serialisation round trip keeps results, thresholds and options', () => {
  const data = blobs(10, 300, 3);
  const index = ClusterIndex.build({ data, dim: DIM }, Uint32Array.from({ length: 300 }, (_, i) => 5000 + i), { quantile: 0.7, seed: 4 });
  index.add(42, row(data, 0));
  const buf = index.serialize();
  const copy = ClusterIndex.deserialize(buf);
  assert.deepEqual(copy.thresholds, index.thresholds);
  assert.deepEqual(copy.options, index.options);
  assert.equal(copy.size, 301);
  for (let i = 0; i < 10; i++) assert.deepEqual(brief(copy.search(row(data, i * 7), 6).hits), brief(index.search(row(data, i * 7), 6).hits));
  assert.equal(copy.serialize().byteLength, buf.byteLength);
});

test('corrupt, foreign or other-version data is rejected with IndexFormatError', () => {
  const buf = ClusterIndex.build({ data: blobs(11, 100, 2), dim: DIM }).serialize();
  const bad = (mutate: (v: DataView) => void, len = buf.byteLength): void => {
    const copy = buf.slice(0, len);
    mutate(new DataView(copy));
    assert.throws(() => ClusterIndex.deserialize(copy), IndexFormatError);
  };
  bad((v) => v.setUint32(0, 0x12345678, true));
  bad((v) => v.setUint32(4, 99, true));
  bad(() => {}, buf.byteLength - 4);
  bad(() => {}, 8);
});

test('recall-targeted calibration reaches its target on the calibration queries', () => {
  const data = blobs(12, 1500, 8);
  const index = ClusterIndex.build({ data, dim: DIM });
  const r = index.calibrateForRecall({ data: blobs(12, 60, 8, 1), dim: DIM }, 0.9, { k: 10 });
  assert.ok(r.recall >= 0.9, `recall ${r.recall}`);
  assert.deepEqual(index.thresholds, r.thresholds);
});

test('drift and imbalance raise needsRecluster; re-clustering each level keeps every item findable', () => {
  const data = blobs(14, 600, 6);
  const index = ClusterIndex.build({ data, dim: DIM }, undefined, { fineFraction: 0.05, coarseFraction: 0.2 });
  assert.deepEqual(index.needsRecluster().reasons, []);
  const newTopic = blobs(15, 300, 1);
  for (let i = 0; i < 300; i++) index.add(10000 + i, row(newTopic, i));
  const advice = index.needsRecluster();
  assert.ok(advice.compact && advice.fine, JSON.stringify(advice));
  for (const level of ['coarse', 'fine', 'all'] as const) {
    index.recluster(level);
    assert.equal(index.size, 900);
    assert.equal(index.health().extraRows, 0);
    for (const id of [0, 599, 10000, 10299]) {
      const q = id >= 10000 ? row(newTopic, id - 10000) : row(data, id);
      assert.equal(index.search(q, 1, { thresholds: KEEP_ALL }).hits[0]!.id, id, `${level}: ${id}`);
    }
  }
  assert.equal(index.needsRecluster().fine, false);
});

test('an unreachable recall target falls back to keeping every cluster', () => {
  const data = blobs(16, 400, 4);
  const index = ClusterIndex.build({ data, dim: DIM });
  const r = index.calibrateForRecall({ data: blobs(16, 20, 4, 1), dim: DIM }, 1.01);
  assert.equal(r.thresholds.logTauCoarse, -Infinity);
  assert.equal(r.thresholds.logTauFine, -Infinity);
  assert.equal(r.recall, 1);
});

test('held-out items are left out of lookups, then come back in their own rows without a compaction', () => {
  const data = blobs(5, 400, 5);
  const index = ClusterIndex.build({ data, dim: DIM }, undefined, { fineFraction: 0.05, coarseFraction: 0.2 });
  const queries = blobs(5, 12, 5, 1);
  const before = Array.from({ length: 12 }, (_, i) => brief(index.search(row(queries, i), 8, { thresholds: KEEP_ALL }).hits));
  const routing = index.routing();
  const held = [3, 17, 200];
  const inside = index.withHeldOut(held, () => {
    assert.equal(index.health().items, 397);
    return index.search(row(data, 17), 5, { thresholds: KEEP_ALL }).hits.map((h) => h.id);
  });
  assert.ok(!inside.includes(17), 'a held-out item was found');
  const after = index.health();
  assert.equal(after.items, 400);
  assert.equal(after.deadRows, 0, 'no tombstones left');
  assert.equal(after.extraRows, 0, 'no rows appended: the items went back to their own rows');
  assert.deepEqual(index.routing().itemFine, routing.itemFine, 'every item keeps its cluster');
  assert.deepEqual(Array.from({ length: 12 }, (_, i) => brief(index.search(row(queries, i), 8, { thresholds: KEEP_ALL }).hits)), before);
  assert.equal(index.search(row(data, 17), 1, { thresholds: KEEP_ALL }).hits[0]?.id, 17);
});
