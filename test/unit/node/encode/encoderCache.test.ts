// Cached vectors never reach the worker: in memory (LRU) within an encoder, on disk across encoders.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { DiskEmbeddingCache } from '../../../../src/node/encode/diskEmbeddingCache.ts';
import { openOnnxEncoder } from '../../../../src/node/encode/onnxEncoder.ts';
import { bundleWorkers, maxAbsDiff, tempDir, TEXTS, TINY_ENCODER } from './encoderTestKit.ts';

const key = (i: number) => i.toString(16).padStart(64, '0');
const vec = (i: number, dim = 4) => Float32Array.from({ length: dim }, (_, h) => i + h / 10);

describe('embedding cache', () => {
  test('memory hits skip the worker; the LRU bound evicts the oldest', async () => {
    const { worker } = await bundleWorkers();
    const e = await openOnnxEncoder(TINY_ENCODER, { precision: 'fp32', threads: 1, worker, memoryCacheEntries: 4 });
    try {
      const first = await e.encode(TEXTS.slice(0, 3));
      assert.deepEqual({ calls: e.stats.calls, texts: e.stats.texts, hits: e.stats.memoryHits }, { calls: 1, texts: 3, hits: 0 });
      const again = await e.encode([TEXTS[2]!, TEXTS[0]!, TEXTS[1]!]);
      assert.deepEqual({ calls: e.stats.calls, texts: e.stats.texts, hits: e.stats.memoryHits }, { calls: 1, texts: 3, hits: 3 }, 'no worker call');
      assert.deepEqual(again, [first[2], first[0], first[1]]);
      again[0]![0] = 42; // callers get copies: the cache is not changed through them
      assert.notEqual((await e.encode([TEXTS[2]!]))[0]![0], 42);
      await e.encode(TEXTS.slice(3, 7)); // 4 more: the first three are evicted
      await e.encode([TEXTS[0]!]);
      assert.equal(e.stats.texts, 8);
    } finally {
      await e.dispose();
    }
  });

  test('the disk cache serves a second encoder over the same model without running it', async () => {
    const cacheDir = tempDir();
    const a = await openOnnxEncoder(TINY_ENCODER, { precision: 'fp32', threads: 1, worker: 'in-process', cacheDir });
    const want = await a.encode(TEXTS);
    await a.dispose(); // writes the buffered pack
    const b = await openOnnxEncoder(TINY_ENCODER, { precision: 'fp32', threads: 1, worker: 'in-process', cacheDir });
    try {
      const got = await b.encode([...TEXTS].reverse());
      assert.equal(b.stats.texts, 0, 'nothing reached the model');
      assert.equal(b.stats.diskHits, TEXTS.length);
      got.reverse().forEach((v, i) => assert.equal(maxAbsDiff(v, want[i]!), 0));
      const folders = fs.readdirSync(cacheDir);
      assert.equal(folders.length, 1);
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(cacheDir, folders[0]!, 'encoder.json'), 'utf8')), { encoderId: b.id, dim: 32 });
    } finally {
      await b.dispose();
    }
    const q8 = await openOnnxEncoder(TINY_ENCODER, { precision: 'q8', threads: 1, worker: 'in-process', cacheDir });
    try {
      await q8.encode(TEXTS.slice(0, 2));
      assert.equal(q8.stats.texts, 2, 'another encoder id never reads those vectors');
    } finally {
      await q8.dispose();
    }
  });

  test('packs are merged when there are too many; entries survive the merge', async () => {
    const dir = tempDir();
    const o = { dir, encoderId: 'test-encoder', dim: 4, flushEntries: 3, maxPacks: 4 };
    const cache = await DiskEmbeddingCache.open(o);
    for (let i = 0; i < 30; i++) cache.put(key(i), vec(i));
    await cache.flush();
    const packs = fs.readdirSync(cache.folder).filter((f) => f.endsWith('.pack'));
    assert.ok(packs.length <= 4, `${packs.length} packs`);
    const reopened = await DiskEmbeddingCache.open(o);
    assert.equal(reopened.size, 30);
    const got = await reopened.get([key(0), key(17), key(29), key(99)]);
    assert.deepEqual([...got.keys()], [key(0), key(17), key(29)]);
    assert.deepEqual(got.get(key(17)), vec(17));
  });

  test('a damaged pack is dropped (and logged), the others still serve', async () => {
    const dir = tempDir();
    const o = { dir, encoderId: 'test-encoder', dim: 4, flushEntries: 2 };
    const cache = await DiskEmbeddingCache.open(o);
    for (let i = 0; i < 4; i++) cache.put(key(i), vec(i));
    await cache.flush();
    const packs = fs.readdirSync(cache.folder).filter((f) => f.endsWith('.pack')).sort();
    assert.equal(packs.length, 2);
    fs.truncateSync(path.join(cache.folder, packs[0]!), 40);
    const logger = new MemoryLogger();
    const reopened = await DiskEmbeddingCache.open({ ...o, logger });
    assert.equal(reopened.size, 2);
    assert.ok(logger.entries.some((x) => x.level === 'warn' && x.message.startsWith('EMBEDDING_CACHE_BAD_PACK')));
    assert.equal(fs.existsSync(path.join(cache.folder, packs[0]!)), false);
  });
});
