import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { DEFAULT_CENTROID_SETTINGS } from '../../../../src/common/search/clusteredSearch.ts';
import { CENTROID_BLOB, centroidBlobs, openCentroids, persistCentroids, type BlobStore, type CentroidSource } from '../../../../src/node/indexer/centroidStore.ts';
import { topicCorpus } from '../../common/search/topicCorpus.ts';

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
