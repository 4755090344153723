/**
 * Embeddings kept on disk between runs, one folder per encoder id (`<cacheDir>/<sha256(id)[:24]>/`, with
 * an `encoder.json` naming the id). New vectors are buffered and written as immutable packs
 * (embeddingPack.ts) of up to `flushEntries`, atomically; when there are more than `maxPacks` packs, the
 * smaller half is merged into one. Keys are sha256 of the text. Errors are logged, never thrown: a cache
 * that cannot be read or written only costs recomputation. Several processes may share a folder (packs
 * are never modified; a pack merged away by another process reads as a miss).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../common/log.ts';
import { NULL_LOGGER } from '../../common/log.ts';
import { writeFileAtomic } from '../fs/atomicFile.ts';
import { readPackEntries, readPackIndex, readPackVectors, writePack, type PackEntry } from './embeddingPack.ts';

export interface DiskEmbeddingCacheOptions {
  /** The cache root; each encoder id gets its own folder inside. */
  readonly dir: string;
  readonly encoderId: string;
  readonly dim: number;
  readonly logger?: Logger;
  /** Vectors buffered before a pack is written (default 256); `flush()` writes the rest. */
  readonly flushEntries?: number;
  /** Packs allowed before the smaller half is merged (default 32). */
  readonly maxPacks?: number;
  /** A partial buffer is written this long after the last `put` (default 2000 ms). */
  readonly flushDelayMs?: number;
}

interface Pack {
  readonly file: string;
  readonly count: number;
}

let packCounter = 0;
const packName = () => `${Date.now().toString(36)}-${process.pid}-${(packCounter++).toString(36)}.pack`;

export class DiskEmbeddingCache {
  readonly folder: string;
  private readonly o: DiskEmbeddingCacheOptions;
  private readonly log: Logger;
  private readonly index = new Map<string, { pack: Pack; slot: number }>();
  /** Buffered for the next pack, and being written (both still served by `get`). */
  private readonly pending = new Map<string, Float32Array>();
  private readonly inFlight = new Map<string, Float32Array>();
  private packs: Pack[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(o: DiskEmbeddingCacheOptions, folder: string) {
    this.o = o;
    this.folder = folder;
    this.log = o.logger ?? NULL_LOGGER;
  }

  static async open(o: DiskEmbeddingCacheOptions): Promise<DiskEmbeddingCache> {
    const folder = path.join(o.dir, createHash('sha256').update(o.encoderId).digest('hex').slice(0, 24));
    const cache = new DiskEmbeddingCache(o, folder);
    await fs.mkdir(folder, { recursive: true });
    const marker = path.join(folder, 'encoder.json');
    if (!(await fs.stat(marker).catch(() => undefined))) await writeFileAtomic(marker, [JSON.stringify({ encoderId: o.encoderId, dim: o.dim }) + '\n']);
    await cache.loadIndex();
    return cache;
  }

  get size(): number {
    return this.index.size + this.pending.size + this.inFlight.size;
  }

  /** The cached vectors among `keys` (a map from key to vector; misses are absent). */
  async get(keys: readonly string[]): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    const byPack = new Map<Pack, { key: string; slot: number }[]>();
    for (const key of keys) {
      const p = this.pending.get(key) ?? this.inFlight.get(key);
      if (p) found.set(key, p);
      const at = p ? undefined : this.index.get(key);
      if (at) byPack.set(at.pack, [...(byPack.get(at.pack) ?? []), { key, slot: at.slot }]);
    }
    for (const [pack, wanted] of byPack) {
      try {
        const vectors = await readPackVectors(pack.file, this.o.dim, pack.count, wanted.map((w) => w.slot));
        wanted.forEach((w, i) => found.set(w.key, vectors[i]!));
      } catch (e) {
        this.log.debug(`EMBEDDING_CACHE_READ_FAILED ${pack.file}: ${(e as Error).message}`);
      }
    }
    return found;
  }

  put(key: string, vector: Float32Array): void {
    if (this.index.has(key) || this.inFlight.has(key)) return;
    this.pending.set(key, vector);
    if (this.pending.size >= (this.o.flushEntries ?? 256)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.o.flushDelayMs ?? 2000).unref();
  }

  /** Writes the buffered vectors (and merges packs if there are too many); resolves when written. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size > 0) {
      const entries = [...this.pending].map(([key, vector]) => ({ key, vector }));
      for (const e of entries) this.inFlight.set(e.key, e.vector);
      this.pending.clear();
      this.writing = this.writing.then(() => this.writeEntries(entries)).then(() => this.compact());
    }
    return this.writing;
  }

  private async loadIndex(): Promise<void> {
    const files = (await fs.readdir(this.folder)).filter((f) => f.endsWith('.pack')).sort();
    for (const name of files) {
      const file = path.join(this.folder, name);
      const idx = await readPackIndex(file, this.o.dim).catch(() => undefined);
      if (!idx) {
        this.log.warn(`EMBEDDING_CACHE_BAD_PACK ${file}: not a pack of dimension ${this.o.dim}; removed`);
        await fs.rm(file, { force: true });
        continue;
      }
      this.addPack({ file, count: idx.keys.length }, idx.keys);
    }
  }

  private addPack(pack: Pack, keys: readonly string[]): void {
    this.packs.push(pack);
    keys.forEach((key, slot) => this.index.set(key, { pack, slot }));
  }

  private async writeEntries(entries: readonly PackEntry[]): Promise<void> {
    const file = path.join(this.folder, packName());
    try {
      await writePack(file, this.o.dim, entries);
      this.addPack({ file, count: entries.length }, entries.map((e) => e.key));
    } catch (e) {
      this.log.warn(`EMBEDDING_CACHE_WRITE_FAILED ${file}: ${(e as Error).message}`);
    } finally {
      for (const e of entries) this.inFlight.delete(e.key);
    }
  }

  /** Merges the smaller half of the packs into one when there are more than maxPacks. */
  private async compact(): Promise<void> {
    const max = Math.max(2, this.o.maxPacks ?? 32);
    if (this.packs.length <= max) return;
    const victims = [...this.packs].sort((a, b) => a.count - b.count).slice(0, this.packs.length - Math.floor(max / 2));
    const merged = new Map<string, Float32Array>();
    for (const p of victims) {
      for (const e of (await readPackEntries(p.file, this.o.dim).catch(() => undefined)) ?? []) merged.set(e.key, e.vector);
    }
    const file = path.join(this.folder, packName());
    try {
      await writePack(file, this.o.dim, [...merged].map(([key, vector]) => ({ key, vector })));
    } catch (e) {
      this.log.warn(`EMBEDDING_CACHE_WRITE_FAILED ${file}: ${(e as Error).message}`);
      return;
    }
    const gone = new Set<Pack>(victims);
    this.packs = this.packs.filter((p) => !gone.has(p));
    for (const [key, at] of this.index) if (gone.has(at.pack)) this.index.delete(key);
    this.addPack({ file, count: merged.size }, [...merged.keys()]);
    await Promise.all(victims.map((p) => fs.rm(p.file, { force: true })));
  }
}
