import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inverseFrequencies } from '../../../../src/common/positions/rope.ts';
import { ChunkKvStore, concatCaches, kvTensors, prefillAt, rerotateCache } from '../../../../src/node/context/chunkKv.ts';
import { KvCache } from '../../../../src/node/generate/kvCache.ts';
import { loadTiny } from '../generate/tinyModel.ts';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const chunkA = [11, 42, 7, 300, 301, 5, 99, 123, 88, 17, 64, 250];
const chunkB = [400, 3, 77, 91, 12, 600, 33, 21, 9];
const local = [500, 501, 502, 45, 46];

test('keys cached at base 0 and re-rotated to base B equal keys computed at B (tiny fp32 decoder)', async () => {
  const decoder = await loadTiny();
  try {
    const { model } = decoder;
    assert.equal(model.layout.type, 'float32');
    const freqs = inverseFrequencies(decoder.folder.config.rope);
    const at0 = await prefillAt(model, chunkA, 0);
    for (const base of [1, 37, 1000, 2048]) {
      const fresh = kvTensors(await prefillAt(model, chunkA, base));
      const moved = kvTensors(rerotateCache(at0, base, freqs));
      model.layout.pastNames.forEach((name, i) => {
        const d = maxAbsDiff(moved[i]!.data as Float32Array, fresh[i]!.data as Float32Array);
        assert.ok(d <= 1e-4, `${name} at base ${base}: |Δ| = ${d}`);
      });
      const unrotated = maxAbsDiff(kvTensors(at0)[0]!.data as Float32Array, fresh[0]!.data as Float32Array);
      assert.ok(unrotated > 1e-3, 'base 0 and base B keys differ before re-rotation');
    }
  } finally {
    await decoder.dispose();
  }
});

test('a completion over cached, re-rotated chunk caches gives the logits of fresh prefills at the assigned bases', async () => {
  const decoder = await loadTiny();
  try {
    const { model } = decoder;
    const base = 29;
    const after = base + Math.max(chunkA.length, chunkB.length);
    const localPositions = local.map((_, i) => after + i);
    const freshParts = [await prefillAt(model, chunkA, base), await prefillAt(model, chunkB, base)];
    const fresh = await model.forward(local, localPositions, concatCaches(model.layout, freshParts), 'all');
    const store = new ChunkKvStore(model, decoder.folder.config.rope);
    await store.place(chunkA, 3);
    await store.place(chunkB, 500);
    const cachedParts = [await store.place(chunkA, base), await store.place(chunkB, base)];
    assert.deepEqual([store.misses, store.hits, store.size], [2, 2, 2]);
    const cached = await model.forward(local, localPositions, concatCaches(model.layout, cachedParts), 'all');
    const d = maxAbsDiff(cached.logits, fresh.logits);
    assert.ok(d <= 1e-4, `logits |Δ| = ${d}`);
    assert.equal(cached.rows, local.length);
    assert.equal(concatCaches(model.layout, []).length, KvCache.empty(model.layout).length);
  } finally {
    await decoder.dispose();
  }
});
