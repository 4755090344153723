import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { DEFAULT_CENTROID_SETTINGS } from '../../../../src/common/search/clusteredSearch.ts';
import { CENTROID_BLOB, centroidBlobs, openCentroids, persistCentroids, type BlobStore, type CentroidSource } from '../../../../src/node/indexer/centroidStore.ts';
import { topicCorpus } from '../../common/search/topicCorpus.ts';
import { decodeCentroidBlob, encodeCentroidBlob } from '../../../../src/common/search/centroidBlob.ts';
import { RECALL_CALIBRATION_VERSION } from '../../../../src/common/index/recallCalibration.ts';

const corpus = topicCorpus(11, { n: 2400, topics: 24, queries: 10 });
const DIM = corpus.encoder.dim;
const chunks = corpus.texts.map((text, i) => ({ path: `src/f${Math.floor(i / 6)}.ts`, text }) as unknown as Chunk);
const SETTINGS = { ...DEFAULT_CENTROID_SETTINGS, minChunks: 2000 };

function source(generation: number, hashOf: (p: string) => string = (p) => `h:${p}`): CentroidSource {
  return { chunks, vectors: corpus.vectors, dim: DIM, generation, hashOf };
}

/** The store's blob API, in memory; `generation` is the store's current one. */
type MemoryStore = Omit<BlobStore, 'generation'> & { generation: number; blobs: Map<string, { generation: number; data: Uint8Array }>; writes: number };

function memoryStore(generation: number): MemoryStore {
  const blobs = new Map<string, { generation: number; data: Uint8Array }>();
  const store: MemoryStore = {
    generation, blobs, writes: 0,
    readBlob: (name: string) => Promise.resolve(blobs.get(name)),
    writeBlob: (name: string, data: Uint8Array, gen = store.generation) => {
      store.writes++;
      blobs.set(name, { generation: gen, data: data.slice() });
      return Promise.resolve();
    },
  };
  return store;
}

const how = (log: MemoryLogger): string[] => log.entries.map((e) => /centroid index (\w+)/.exec(e.message)?.[1] ?? '').filter(Boolean);
const top = (s: Awaited<ReturnType<typeof openCentroids>>, i: number): number[] =>
  s!.topK(corpus.encoder.encodeMatrix([corpus.queries[i]!]), 10).rows.map((h) => h.row);

test('below minChunks there is no centroid index; a store without blobs gets one built in memory', async () => {
  const log = new MemoryLogger();
  assert.equal(await openCentroids({}, source(1), { ...SETTINGS, minChunks: 5000 }, log), undefined);
  assert.equal(centroidBlobs({ readBlob: () => undefined }), undefined);
  const built = await openCentroids({}, source(1), SETTINGS, log);
  assert.ok(built);
  assert.deepEqual(how(log), ['built']);
  assert.match(log.entries[0]!.message, /2400 chunks, \d+ coarse \/ \d+ fine clusters \(the store cannot persist it yet\)/);
});

test('a built index is stored with its generation and read back (no k-means) at the next open', async () => {
  const store = memoryStore(4);
  const log = new MemoryLogger();
  const first = await openCentroids(store, source(4), SETTINGS, log);
  assert.equal(store.blobs.get(CENTROID_BLOB)?.generation, 4);
  const second = await openCentroids(store, source(4), SETTINGS, log);
  assert.deepEqual(how(log), ['built', 'stored']);
  assert.equal(store.writes, 1, 'a current blob is not written again');
  for (const i of [0, 3, 7]) assert.deepEqual(top(second, i), top(first, i));
});

test('after a commit the indexer carries the clusters over: only the changed file is placed again', async () => {
  const store = memoryStore(4);
  const log = new MemoryLogger();
  await persistCentroids(store, () => Promise.resolve(source(4)), SETTINGS, log);
  store.generation = 5;
  const changed = source(5, (p) => (p === 'src/f10.ts' ? 'new-hash' : `h:${p}`));
  await persistCentroids(store, () => Promise.resolve(changed), SETTINGS, log);
  assert.deepEqual(how(log), ['built', 'carried']);
  assert.equal(store.blobs.get(CENTROID_BLOB)?.generation, 5);
  await persistCentroids(store, () => Promise.reject(new Error('must not load: blob is current')), SETTINGS, log);
  const reopened = await openCentroids(store, changed, SETTINGS, log);
  assert.equal(how(log).at(-1), 'stored');
  assert.equal(reopened!.index.health().extraRows, 0, 'a stored index is compact');
});

test('a damaged or foreign blob is ignored with a warning and the index is rebuilt', async () => {
  const store = memoryStore(2);
  store.blobs.set(CENTROID_BLOB, { generation: 2, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) });
  const log = new MemoryLogger();
  const s = await openCentroids(store, source(2), SETTINGS, log);
  assert.ok(s);
  assert.ok(log.entries.some((e) => e.level === 'warn' && /unusable/.test(e.message)));
  assert.deepEqual(how(log), ['built']);
  const other = new MemoryLogger();
  await openCentroids(store, source(2), { ...SETTINGS, temperature: 0.1 }, other);
  assert.deepEqual(how(other), ['built'], 'clusters made with other settings are not reused');
});

test('a blob whose τ came from an older calibration rule is calibrated again at open and rewritten', async () => {
  const store = memoryStore(3);
  const log = new MemoryLogger();
  await openCentroids(store, source(3), SETTINGS, log);
  // Rewrite the stored blob as the old rule left it: no calibration field and τ = 0 (every cluster kept).
  const current = decodeCentroidBlob(store.blobs.get(CENTROID_BLOB)!.data);
  const keepAll = { ...current.routing.thresholds, logTauCoarse: -Infinity, logTauFine: -Infinity };
  const old = encodeCentroidBlob({ ...current, routing: { ...current.routing, thresholds: keepAll } });
  const header = JSON.parse(new TextDecoder().decode(old.subarray(8, 8 + new DataView(old.buffer).getUint32(4, true)))) as object;
  assert.ok('calibration' in header);
  store.blobs.set(CENTROID_BLOB, { generation: 3, data: withoutCalibration(old) });
  assert.equal(decodeCentroidBlob(store.blobs.get(CENTROID_BLOB)!.data).calibration, 1);
  const writes = store.writes;
  const reopened = await openCentroids(store, source(3), SETTINGS, log);
  assert.ok(Number.isFinite(reopened!.index.thresholds.logTauCoarse), 'τ calibrated again');
  assert.ok(log.entries.some((e) => /calibrating again/.test(e.message)));
  assert.equal(store.writes, writes + 1);
  assert.equal(decodeCentroidBlob(store.blobs.get(CENTROID_BLOB)!.data).calibration, RECALL_CALIBRATION_VERSION);
  const again = new MemoryLogger();
  await openCentroids(store, source(3), SETTINGS, again);
  assert.ok(!again.entries.some((e) => /calibrating again/.test(e.message)), 'the rewritten blob is current');
});

/** The blob with its header's `calibration` field removed (as blobs written before the field). */
function withoutCalibration(blob: Uint8Array): Uint8Array {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const len = view.getUint32(4, true);
  const { calibration: _, ...rest } = JSON.parse(new TextDecoder().decode(blob.subarray(8, 8 + len))) as { calibration: number };
  const json = new TextEncoder().encode(JSON.stringify(rest));
  const head = 8 + Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(head + blob.length - (8 + Math.ceil(len / 4) * 4));
  const v = new DataView(out.buffer);
  v.setUint32(0, view.getUint32(0, true), true);
  v.setUint32(4, json.length, true);
  out.set(json, 8);
  out.set(blob.subarray(8 + Math.ceil(len / 4) * 4), head);
  return out;
}

test('a blob calibrated for another recall target keeps its clusters and is calibrated again', async () => {
  const store = memoryStore(6);
  const log = new MemoryLogger();
  await openCentroids(store, source(6), SETTINGS, log);
  const other = { ...SETTINGS, recallTarget: 0.9 };
  const reopened = await openCentroids(store, source(6), other, log);
  assert.deepEqual(how(log), ['built', 'stored'], 'no k-means for a new recall target');
  assert.ok(log.entries.some((e) => /calibrating again \(rule \d+, recall 0.9\)/.test(e.message)));
  assert.equal(decodeCentroidBlob(store.blobs.get(CENTROID_BLOB)!.data).recallTarget, 0.9);
  assert.ok(Number.isFinite(reopened!.index.thresholds.logTauCoarse));
});
