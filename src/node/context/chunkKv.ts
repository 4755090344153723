/**
 * Chunk KV caches for the `parallel` position policy. A chunk is prefilled once at base 0 (after no prefix,
 * so its cache depends on its own tokens only), kept by content hash, and moved to any base B by rotating
 * its keys by B with the model's RoPE (values do not depend on position). Layout [1, kvHeads, seq, headDim].
 */
import { createHash } from 'node:crypto';
import { Tensor } from 'onnxruntime-node';
import { inverseFrequencies, rerotateKeys } from '../../common/positions/rope.ts';
import type { RopeParams } from '../../common/generate/modelConfig.ts';
import type { DecoderModel } from '../generate/decoderSession.ts';
import { KvCache, type KvLayout } from '../generate/kvCache.ts';

/** The cache's tensors in `layout.pastNames` order. */
export function kvTensors(cache: KvCache): Tensor[] {
  const feeds = cache.feeds();
  return cache.layout.pastNames.map((n) => feeds[n]!);
}

export function cacheOf(layout: KvLayout, tensors: readonly Tensor[]): KvCache {
  const out: Record<string, Tensor> = {};
  layout.presentNames.forEach((n, i) => (out[n] = tensors[i]!));
  return KvCache.fromOutputs(layout, out);
}

function float32(t: Tensor): Float32Array {
  if (!(t.data instanceof Float32Array)) throw new Error(`chunk KV re-rotation needs a float32 cache, got ${t.type}`);
  return t.data;
}

/** The cache moved by `delta` positions: keys rotated, values shared. */
export function rerotateCache(cache: KvCache, delta: number, freqs: Float64Array): KvCache {
  const { layout } = cache;
  const tensors = kvTensors(cache).map((t, i) => (layout.pastNames[i]!.endsWith('.key') && delta !== 0
    ? new Tensor('float32', rerotateKeys(float32(t), layout.headDim, delta, freqs), t.dims)
    : t));
  return cacheOf(layout, tensors);
}

/** Positions [from, to) of a cache (copied head by head). */
export function sliceCache(cache: KvCache, from: number, to: number): KvCache {
  const { kvHeads, headDim } = cache.layout;
  const n = Math.max(0, to - from);
  const tensors = kvTensors(cache).map((t) => {
    const src = float32(t);
    const dst = new Float32Array(kvHeads * n * headDim);
    for (let h = 0; h < kvHeads; h++) dst.set(src.subarray((h * cache.length + from) * headDim, (h * cache.length + to) * headDim), h * n * headDim);
    return new Tensor('float32', dst, [1, kvHeads, n, headDim]);
  });
  return cacheOf(cache.layout, tensors);
}

/** Caches one after another along the sequence axis. */
export function concatCaches(layout: KvLayout, caches: readonly KvCache[]): KvCache {
  const total = caches.reduce((s, c) => s + c.length, 0);
  if (total === 0) return KvCache.empty(layout);
  const { kvHeads, headDim } = layout;
  const parts = caches.map(kvTensors);
  const tensors = layout.pastNames.map((_, i) => {
    const dst = new Float32Array(kvHeads * total * headDim);
    for (let h = 0; h < kvHeads; h++) {
      let at = h * total * headDim;
      caches.forEach((c, k) => {
        const src = float32(parts[k]![i]!);
        dst.set(src.subarray(h * c.length * headDim, (h + 1) * c.length * headDim), at);
        at += c.length * headDim;
      });
    }
    return new Tensor('float32', dst, [1, kvHeads, total, headDim]);
  });
  return cacheOf(layout, tensors);
}

/** Prefills `ids` at positions base, base+1, … after `past` (empty by default); returns only the new part. */
export async function prefillAt(model: DecoderModel, ids: readonly number[], base: number, past?: KvCache): Promise<KvCache> {
  const start = past ?? KvCache.empty(model.layout);
  const out = await model.forward(ids, ids.map((_, i) => base + i), start, 'none');
  return start.length === 0 ? out.cache : sliceCache(out.cache, start.length, out.cache.length);
}

export interface ChunkKvStoreOptions {
  /** Most bytes of chunk caches kept; the least recently placed go first (default 128 MiB). */
  readonly maxBytes?: number;
}

export const DEFAULT_CHUNK_CACHE_BYTES = 128 * 1024 * 1024;

/** Chunk caches computed once at base 0, keyed by a hash of their token ids, placed at any base. */
export class ChunkKvStore {
  readonly model: DecoderModel;
  readonly freqs: Float64Array;
  readonly maxBytes: number;
  hits = 0;
  misses = 0;
  /** Tokens run through the model to fill misses, and tokens served from the store. */
  prefilledTokens = 0;
  servedTokens = 0;
  private bytesHeld = 0;
  private readonly entries = new Map<string, KvCache>();

  constructor(model: DecoderModel, rope: RopeParams, o: ChunkKvStoreOptions = {}) {
    this.model = model;
    this.freqs = inverseFrequencies(rope);
    this.maxBytes = Math.max(0, o.maxBytes ?? DEFAULT_CHUNK_CACHE_BYTES);
  }

  static key(ids: readonly number[]): string {
    return createHash('sha256').update(Int32Array.from(ids)).digest('hex');
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.bytesHeld;
  }

  /** The chunk's cache as if it had been prefilled at positions base…base+n-1. */
  async place(ids: readonly number[], base: number): Promise<KvCache> {
    const key = ChunkKvStore.key(ids);
    let cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      this.servedTokens += ids.length;
      this.entries.delete(key); // re-inserted below: Map order is recency order
    } else {
      this.misses++;
      this.prefilledTokens += ids.length;
      cached = await prefillAt(this.model, ids, 0);
      this.bytesHeld += cached.bytes;
    }
    this.entries.set(key, cached);
    this.evict();
    return rerotateCache(cached, base, this.freqs);
  }

  clear(): void {
    this.entries.clear();
    this.bytesHeld = 0;
  }

  private evict(): void {
    for (const [key, cache] of this.entries) {
      if (this.bytesHeld <= this.maxBytes) return;
      this.entries.delete(key);
      this.bytesHeld -= cache.bytes;
    }
  }
}
