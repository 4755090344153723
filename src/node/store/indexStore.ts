/**
 * The on-disk index of one repository, in `<indexDir>/index-v<N>/`. Every commit writes the chunks and
 * vector rows of new or changed files as a new segment (`chunks-<gen>.jsonl`, `vectors-<gen>.f32`; temp
 * name, fsync, rename) and then atomically replaces `manifest.json`, which names the live segments and
 * every file's row range. Unreferenced files are deleted after the swap, and segments are compacted into
 * one when dead rows outweigh live ones. A crash at any point leaves the previous manifest and its files.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Chunk } from '../../common/chunk/chunk.ts';
import type { IdfTable } from '../../common/encode/idfTable.ts';
import { NULL_LOGGER, type Logger } from '../../common/log.ts';
import type { SkipReason } from '../../common/scan/scannedFile.ts';
import { writeFileAtomic } from '../fs/atomicFile.ts';
import {
  INDEX_FORMAT_VERSION, MANIFEST_FILE, checkManifest, chunksFileName, vectorsFileName,
  type ChunkRange, type FileEntry, type IndexExpectation, type IndexManifest, type SegmentInfo,
} from './indexManifest.ts';
import { IndexCorruptError, readSegmentChunks, readSegmentRows, readSegmentVectors, verifySegment, writeSegment } from './indexSegment.ts';
import { planSegments } from './segmentPlan.ts';

export interface OpenIndexOptions extends IndexExpectation {
  readonly logger?: Logger;
  /**
   * Hash every segment on open (default false). Sizes are always checked, and a file whose mtime moved
   * since it was written is always hashed; `load()` checks the sha256 of everything it reads.
   */
  readonly verifyChecksums?: boolean;
}

/** A file of the next manifest: kept (`range` into a live segment), new (`chunks` + `rows`), or neither. */
export interface UpdatedFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
  readonly skip?: SkipReason;
  readonly range?: ChunkRange;
  readonly chunks?: readonly Chunk[];
  readonly rows?: Float32Array;
}

export interface IndexUpdate {
  /** Every file of the next manifest, in any order. */
  readonly files: readonly UpdatedFile[];
  readonly idf: IdfTable | null;
  readonly complete: boolean;
}

export interface LoadedIndex {
  readonly manifest: IndexManifest;
  /** All chunks, in manifest file order; row i of `rows` belongs to chunk i. */
  readonly chunks: Chunk[];
  readonly rows: Float32Array;
}

/** Segment files written, manifest not yet published: what a crash in between leaves behind. */
export interface PreparedCommit {
  readonly manifest: IndexManifest;
}

export class IndexStore {
  readonly dir: string;
  readonly expect: IndexExpectation;
  /** Why an existing index could not be used and will be replaced by the next commit. */
  readonly rebuildReason: string | undefined;
  private current: IndexManifest | undefined;

  private constructor(dir: string, expect: IndexExpectation, manifest: IndexManifest | undefined, rebuildReason: string | undefined) {
    this.dir = dir;
    this.expect = expect;
    this.current = manifest;
    this.rebuildReason = rebuildReason;
  }

  /** Opens (creating the folder) and validates the stored manifest; an unusable one is reported, never read. */
  static async open(dir: string, options: OpenIndexOptions): Promise<IndexStore> {
    const logger = options.logger ?? NULL_LOGGER;
    const expect: IndexExpectation = { encoderId: options.encoderId, dim: options.dim, chunker: options.chunker, chunkTokens: options.chunkTokens };
    await fs.mkdir(dir, { recursive: true });
    const { manifest, reason } = await readManifest(dir, expect, options.verifyChecksums ?? false);
    if (reason) logger.warn(`index in ${dir} will be rebuilt: ${reason}`);
    return new IndexStore(dir, expect, manifest, reason);
  }

  get manifest(): IndexManifest | undefined {
    return this.current;
  }

  private segment(gen: number): SegmentInfo {
    const seg = this.current?.segments.find((s) => s.gen === gen);
    if (!seg) throw new IndexCorruptError(`segment ${gen} is not in the manifest`);
    return seg;
  }

  /** The stored rows of one file's range. */
  async readRows(range: ChunkRange): Promise<Float32Array> {
    if (range.count === 0) return new Float32Array(0);
    return readSegmentRows(this.dir, this.segment(range.seg), range, this.expect.dim);
  }

  /** Reads every live segment (checking checksums) and returns chunks and rows in file order. */
  async load(): Promise<LoadedIndex> {
    const manifest = this.current;
    if (!manifest) throw new IndexCorruptError('there is no index to load');
    const dim = this.expect.dim;
    const data = new Map<number, { chunks: Chunk[]; rows: Float32Array }>();
    for (const seg of manifest.segments) {
      data.set(seg.gen, { chunks: await readSegmentChunks(this.dir, seg), rows: await readSegmentVectors(this.dir, seg, dim) });
    }
    const only = manifest.segments.length === 1 ? data.get(manifest.segments[0]?.gen ?? -1) : undefined;
    if (only && isIdentityLayout(manifest.files, only.chunks.length)) return { manifest, chunks: only.chunks, rows: only.rows };
    const total = manifest.files.reduce((n, f) => n + f.count, 0);
    const chunks: Chunk[] = [];
    const rows = new Float32Array(total * dim);
    for (const f of manifest.files) {
      if (f.count === 0) continue;
      const d = data.get(f.seg);
      if (!d) throw new IndexCorruptError(`segment ${f.seg} of ${f.path} is missing`);
      rows.set(d.rows.subarray(f.row * dim, (f.row + f.count) * dim), chunks.length * dim);
      chunks.push(...d.chunks.slice(f.row, f.row + f.count));
    }
    return { manifest, chunks, rows };
  }

  /** Writes the update as a new generation and publishes it. Returns the new manifest. */
  async commit(update: IndexUpdate): Promise<IndexManifest> {
    return this.publish(await this.prepare(update));
  }

  /** Step 1 of a commit: writes the new segment (if any); the published manifest is untouched. */
  async prepare(update: IndexUpdate): Promise<PreparedCommit> {
    const generation = (this.current?.generation ?? 0) + 1;
    const live = this.current?.segments ?? [];
    const plan = planSegments(update.files, live);
    const out = new SegmentBuilder(generation, this.expect.dim);
    const entries: FileEntry[] = [];
    for (const f of [...update.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      let range: ChunkRange = { seg: 0, row: 0, count: 0 };
      if (f.range && f.range.count > 0) {
        range = plan.compact.has(f.range.seg) ? out.add(...(await this.sliceOf(f.range))) : f.range;
      } else if (f.chunks && f.chunks.length > 0 && f.rows) {
        range = out.add(f.chunks, f.rows);
      }
      entries.push({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, hash: f.hash, ...(f.skip ? { skip: f.skip } : {}), ...range });
    }
    const segments = live.filter((s) => plan.keep.has(s.gen));
    if (out.chunks.length > 0) segments.push(await writeSegment(this.dir, generation, out.chunks, out.rows()));
    const manifest: IndexManifest = {
      formatVersion: INDEX_FORMAT_VERSION, ...this.expect, generation, complete: update.complete,
      updatedAt: new Date().toISOString(), idf: update.idf, segments, files: entries,
    };
    this.compacting.clear();
    return { manifest };
  }

  /** Step 2 of a commit: atomically replaces the manifest, then deletes files no manifest names. */
  async publish(prepared: PreparedCommit): Promise<IndexManifest> {
    await writeFileAtomic(path.join(this.dir, MANIFEST_FILE), [JSON.stringify(prepared.manifest)]);
    this.current = prepared.manifest;
    await this.deleteUnreferenced();
    return prepared.manifest;
  }

  private readonly compacting = new Map<number, { chunks: Chunk[]; rows: Float32Array }>();

  /** Chunks and rows of a kept range in a segment being compacted (each segment read once per commit). */
  private async sliceOf(range: ChunkRange): Promise<[readonly Chunk[], Float32Array]> {
    let d = this.compacting.get(range.seg);
    if (!d) {
      const seg = this.segment(range.seg);
      d = { chunks: await readSegmentChunks(this.dir, seg), rows: await readSegmentVectors(this.dir, seg, this.expect.dim) };
      this.compacting.set(range.seg, d);
    }
    const dim = this.expect.dim;
    return [d.chunks.slice(range.row, range.row + range.count), d.rows.subarray(range.row * dim, (range.row + range.count) * dim)];
  }

  private async deleteUnreferenced(): Promise<void> {
    const keep = new Set([MANIFEST_FILE, 'lock']);
    for (const s of this.current?.segments ?? []) keep.add(chunksFileName(s.gen)).add(vectorsFileName(s.gen));
    for (const name of await fs.readdir(this.dir)) {
      if (!keep.has(name) && (/^(chunks|vectors)-\d+\./.test(name) || name.endsWith('.tmp'))) {
        await fs.rm(path.join(this.dir, name), { force: true });
      }
    }
  }
}

/** True when the files' ranges are exactly the rows of one segment, in order (no copy needed). */
function isIdentityLayout(files: readonly FileEntry[], rows: number): boolean {
  let next = 0;
  for (const f of files) {
    if (f.count === 0) continue;
    if (f.row !== next) return false;
    next += f.count;
  }
  return next === rows;
}

/** Collects the chunks and rows of the segment a commit writes. */
class SegmentBuilder {
  readonly chunks: Chunk[] = [];
  private readonly parts: Float32Array[] = [];
  private readonly gen: number;
  private readonly dim: number;

  constructor(gen: number, dim: number) {
    this.gen = gen;
    this.dim = dim;
  }

  add(chunks: readonly Chunk[], rows: Float32Array): ChunkRange {
    if (rows.length !== chunks.length * this.dim) throw new Error(`expected ${chunks.length} rows of ${this.dim} values, got ${rows.length} values`);
    const range = { seg: this.gen, row: this.chunks.length, count: chunks.length };
    this.chunks.push(...chunks);
    this.parts.push(rows);
    return range;
  }

  rows(): Float32Array {
    const out = new Float32Array(this.chunks.length * this.dim);
    let off = 0;
    for (const p of this.parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  }
}

async function readManifest(dir: string, expect: IndexExpectation, checksums: boolean): Promise<{ manifest?: IndexManifest; reason?: string }> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { reason: 'manifest.json is not valid JSON' };
  }
  const check = checkManifest(parsed, expect);
  if (!check.ok) return { reason: check.reason };
  try {
    for (const seg of check.manifest.segments) await verifySegment(dir, seg, checksums);
  } catch (e) {
    if (e instanceof IndexCorruptError) return { reason: `stored data is damaged: ${e.message}` };
    throw e;
  }
  return { manifest: check.manifest };
}
