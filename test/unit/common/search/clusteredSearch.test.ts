import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusteredSearch, DEFAULT_CENTROID_SETTINGS, rankRows } from '../../../../src/common/search/clusteredSearch.ts';
import { calibrationQueries } from '../../../../src/common/search/calibrationQueries.ts';
import { carryAssignments, decodeCentroidBlob, encodeCentroidBlob, fileRuns } from '../../../../src/common/search/centroidBlob.ts';
import { IndexFormatError } from '../../../../src/common/index/clusterSerialization.ts';
import { topicCorpus } from './topicCorpus.ts';

const corpus = topicCorpus(7, { n: 4000, topics: 40, queries: 60 });
const DIM = corpus.encoder.dim;
const calibration = calibrationQueries(corpus.texts, corpus.encoder, { count: 128, seed: 1 });
const search = ClusteredSearch.build(corpus.vectors, DIM, DEFAULT_CENTROID_SETTINGS, calibration);
const queryVec = (i: number): Float32Array => corpus.encoder.encodeMatrix([corpus.queries[i]!]);

async function bothWays(i: number, k = 10) {
  const q = queryVec(i);
  const exact = await rankRows(corpus.vectors, q, { k, dim: DIM });
  const centroids = await rankRows(corpus.vectors, q, { k, dim: DIM, centroids: search });
  return { exact, centroids };
}

test('calibrated for recall 0.95, the centroid lookup finds the exact top hits of new queries while scoring under 10%', async () => {
  let recall = 0;
  let top1 = 0;
  let scored = 0;
  for (let i = 0; i < corpus.queries.length; i++) {
    const { exact, centroids } = await bothWays(i);
    const want = new Set(exact.rows.map((h) => h.row));
    recall += centroids.rows.filter((h) => want.has(h.row)).length / want.size;
    if (centroids.rows[0]?.row === exact.rows[0]?.row) top1++;
    scored += centroids.explain.fractionScored;
    // Whatever it returns is scored exactly: the same score as brute force gives that row.
    for (const h of centroids.rows) {
      const e = exact.rows.find((x) => x.row === h.row);
      if (e) assert.ok(Math.abs(e.score - h.score) < 1e-5);
    }
  }
  const n = corpus.queries.length;
  assert.ok(recall / n >= 0.93, `recall@10 ${recall / n}`); // calibrated for 0.95 on other queries
  assert.ok(top1 / n >= 0.9, `top-1 agreement ${top1 / n}`);
  assert.ok(scored / n < 0.1, `fraction scored ${scored / n}`);
});

test('explain numbers are consistent with each other and with the hits', async () => {
  const { centroids: r } = await bothWays(3);
  const e = r.explain;
  const levels = search.index.levels;
  assert.equal(e.mode, 'centroids');
  assert.equal(e.vectors, 4000);
  assert.deepEqual([e.coarse!.total, e.fine!.total], [levels.coarse, levels.fine]);
  assert.equal(e.coarse!.scored, e.coarse!.total, 'every coarse centroid is compared');
  assert.ok(e.coarse!.kept >= 1 && e.coarse!.kept <= e.coarse!.scored);
  assert.ok(e.fine!.kept >= 1 && e.fine!.kept <= e.fine!.scored && e.fine!.scored <= e.fine!.total);
  assert.equal(e.centroidsScored, e.coarse!.scored + e.fine!.scored);
  assert.ok(e.vectorsScored >= 10 && e.vectorsScored < e.vectors);
  assert.equal(e.fractionScored, e.vectorsScored / e.vectors);
  const th = search.index.thresholds;
  assert.equal(e.temperature, DEFAULT_CENTROID_SETTINGS.temperature);
  assert.ok(Math.abs(e.coarse!.tau - Math.exp(th.logTauCoarse)) < 1e-12 && e.fine!.tau > 0);
  for (const h of r.rows) {
    assert.equal(search.index.coarseOf(h.cluster!.fine), h.cluster!.coarse);
    assert.ok(h.mass! > 0 && h.mass! <= 1, `mass ${h.mass}`);
  }
  assert.ok(r.rows.every((h, i) => i === 0 || r.rows[i - 1]!.score >= h.score));
});

test('without centroids the ranking is exact and says so; a query with no terms scores nothing', async () => {
  const { exact } = await bothWays(0);
  assert.equal(exact.explain.mode, 'exact');
  assert.equal(exact.explain.vectorsScored, 4000);
  assert.equal(exact.explain.fractionScored, 1);
  assert.ok(exact.rows.every((h) => h.cluster === undefined && h.mass === undefined));
  const empty = await rankRows(corpus.vectors, new Float32Array(DIM), { k: 5, dim: DIM, centroids: search });
  assert.deepEqual(empty.rows, []);
  assert.equal(empty.explain.vectorsScored, 0);
});

test('a stored blob round-trips: same hits, clusters and explain, without k-means', async () => {
  const chunks = corpus.texts.map((_, i) => ({ path: `f${Math.floor(i / 8)}.ts` }));
  const hashOf = (p: string): string => `h-${p}`;
  const runs = fileRuns(chunks, hashOf);
  const blob = decodeCentroidBlob(encodeCentroidBlob({ runs, routing: search.index.routing(), recallTarget: 0.95, calibration: 2 }));
  const { itemFine, carried } = carryAssignments(blob, runs);
  assert.equal(carried, 4000);
  const again = ClusteredSearch.fromRouting(blob.routing, corpus.vectors, itemFine);
  for (const i of [0, 5, 9]) {
    const a = search.topK(queryVec(i), 10);
    const b = again.topK(queryVec(i), 10);
    assert.deepEqual(b.rows, a.rows);
    assert.deepEqual({ ...b.explain, ms: 0 }, { ...a.explain, ms: 0 });
  }
  assert.throws(() => decodeCentroidBlob(new Uint8Array(12)), IndexFormatError);
});

test('a changed file loses its carried clusters; its chunks join their nearest cluster and are still found', async () => {
  const chunks = corpus.texts.map((_, i) => ({ path: `f${Math.floor(i / 8)}.ts` }));
  const blob = { runs: fileRuns(chunks, (p) => `h-${p}`), routing: search.index.routing(), recallTarget: 0.95 };
  const now = fileRuns(chunks, (p) => (p === 'f3.ts' ? 'changed' : `h-${p}`));
  const { itemFine, carried } = carryAssignments(blob, now);
  assert.equal(carried, 4000 - 8);
  assert.deepEqual(Array.from(itemFine.subarray(24, 32)), Array(8).fill(-1));
  const updated = ClusteredSearch.fromRouting(blob.routing, corpus.vectors, itemFine);
  assert.equal(updated.index.size, 4000);
  assert.equal(updated.index.health().extraRows, 8);
  const self = updated.topK(corpus.vectors.subarray(25 * DIM, 26 * DIM), 3);
  assert.equal(self.rows[0]!.row, 25);
});

test('recall calibration holds its source chunks out and puts them back; without a target the quantile rule sets τ', () => {
  assert.equal(search.index.size, 4000);
  assert.equal(search.index.health().extraRows, 0);
  assert.equal(calibration.sources.length, calibration.queries.length / DIM);
  for (const r of calibration.sources.slice(0, 20)) assert.ok(search.index.has(r));
  const quantileOnly = ClusteredSearch.build(corpus.vectors, DIM, { ...DEFAULT_CENTROID_SETTINGS, recallTarget: 0 }, calibration);
  const fresh = ClusteredSearch.build(corpus.vectors, DIM, { ...DEFAULT_CENTROID_SETTINGS, recallTarget: 0 });
  assert.deepEqual(quantileOnly.index.thresholds, fresh.index.thresholds);
  assert.notDeepEqual(search.index.thresholds, fresh.index.thresholds);
});
