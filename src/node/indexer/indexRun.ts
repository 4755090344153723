/**
 * One indexing run over a planned update: chunk the work in batches, encode each batch into term rows,
 * update the IDF counts, commit a checkpoint per batch and a complete manifest at the end. On cancellation
 * the files already chunked are committed first, so the index stays consistent and the next run resumes.
 */
import { chunkEncodingText } from '../../common/encode/chunkEncodingText.ts';
import { DfCounter } from '../../common/encode/idfTable.ts';
import { isCancellationError, throwIfCancelled } from '../../common/cancellation.ts';
import type { Logger } from '../../common/log.ts';
import type { ScannedFile, SkipReason, SkippedFile } from '../../common/scan/scannedFile.ts';
import type { IndexStore } from '../store/indexStore.ts';
import { chunkReadFile, readScannedFile, type ChunkedFile, type FileChunker, type ReadFile } from './fileChunks.ts';
import { encodeRows, type IndexEncoder } from './indexEncoder.ts';
import { entryToRecord, planIndexUpdate, type IndexPlan, type WorkItem } from './indexPlan.ts';
import type { IndexOptions, IndexSummary } from './repositoryIndexer.ts';

const READ_AHEAD = 8;

export interface IndexRunContext {
  readonly root: string;
  readonly store: IndexStore;
  readonly encoder: IndexEncoder;
  readonly chunkTokens: number;
  readonly options: IndexOptions;
  readonly logger: Logger;
}

export class IndexRun {
  private readonly ctx: IndexRunContext;
  /** Document frequencies of the stored term rows; dense encoders have none. */
  private readonly counter: DfCounter | undefined;
  private plan: IndexPlan = { records: new Map(), work: [], removed: [], reused: 0, statsChanged: false };
  private batch: ChunkedFile[] = [];
  private rechunked = 0;
  private lastCommit = Date.now();
  private ownChunker: FileChunker | undefined;

  constructor(ctx: IndexRunContext) {
    this.ctx = ctx;
    const idf = ctx.store.manifest?.idf;
    this.counter = ctx.encoder.kind === 'hashed' ? new DfCounter(ctx.encoder.dim, idf ?? undefined) : undefined;
  }

  /** Brings the index up to date with `scanned`; returns whether anything was committed. */
  async execute(scanned: readonly ScannedFile[]): Promise<boolean> {
    const { store } = this.ctx;
    this.plan = planIndexUpdate(store.manifest?.files ?? [], scanned);
    const { work, removed, statsChanged } = this.plan;
    if (store.manifest?.complete && work.length === 0 && removed.length === 0 && !statsChanged) return false;
    if (this.counter) for (const e of removed) this.counter.update(await store.readRows(e), -1);
    try {
      await this.chunkAll(work);
    } catch (e) {
      if (isCancellationError(e)) await this.flush(false);
      throw e;
    } finally {
      this.ownChunker?.dispose?.();
    }
    await this.flush(true);
    return true;
  }

  private async chunkAll(work: readonly WorkItem[]): Promise<void> {
    const { options } = this.ctx;
    const reads: Promise<ReadFile>[] = [];
    const readAt = (i: number) => {
      const item = work[i];
      if (item && reads[i] === undefined) reads[i] = readScannedFile(this.ctx.root, item.file);
    };
    for (let i = 0; i < work.length; i++) {
      throwIfCancelled(options.token);
      for (let j = i; j < i + READ_AHEAD; j++) readAt(j);
      const read = await (reads[i] as Promise<ReadFile>);
      delete reads[i];
      this.batch.push(await chunkReadFile(read, await this.chunker()));
      options.onProgress?.({ phase: 'chunk', done: i + 1, total: work.length, path: read.file.path });
      const due = this.batch.length >= (options.checkpointFiles ?? 2000) || Date.now() - this.lastCommit >= (options.checkpointMs ?? 30_000);
      if (due && i + 1 < work.length) await this.flush(false);
    }
  }

  private async chunker(): Promise<FileChunker> {
    if (this.ctx.options.chunker) return this.ctx.options.chunker;
    if (!this.ownChunker) {
      const { AstChunker } = await import('../chunk/astChunker.ts');
      this.ownChunker = new AstChunker({ chunkTokens: this.ctx.chunkTokens, logger: this.ctx.logger });
    }
    return this.ownChunker;
  }

  /** Encodes the batch, updates records and IDF counts, and commits (a checkpoint unless `complete`). */
  private async flush(complete: boolean): Promise<void> {
    const { store, options } = this.ctx;
    const batch = this.batch;
    this.batch = [];
    const rows = await this.encodeBatch(batch);
    for (let i = 0; i < batch.length; i++) {
      const c = batch[i] as ChunkedFile;
      const before = this.plan.records.get(c.file.path)?.range;
      if (this.counter && before && before.count > 0) this.counter.update(await store.readRows(before), -1);
      const fileRows = rows[i] ?? new Float32Array(0);
      if (c.ok) this.counter?.update(fileRows, 1);
      this.plan.records.set(c.file.path, c.ok ? { ...stats(c.file), chunks: c.chunks, rows: fileRows } : { ...stats(c.file), skip: c.reason });
      if (!c.ok) this.ctx.logger.info(`skipped ${c.file.path}: ${c.reason} ${c.detail}`);
      options.onProgress?.({ phase: 'encode', done: i + 1, total: batch.length, path: c.file.path });
    }
    this.rechunked += batch.length;
    options.onProgress?.({ phase: 'commit', done: 0, total: 1, path: store.dir });
    const manifest = await store.commit({ files: [...this.plan.records.values()], idf: this.counter?.toTable() ?? null, complete });
    for (const e of manifest.files) this.plan.records.set(e.path, entryToRecord(e));
    this.lastCommit = Date.now();
    options.onProgress?.({ phase: 'commit', done: 1, total: 1, path: store.dir });
  }

  /** The rows of every chunked file of the batch, in one encoder call (a dense encoder batches across files). */
  private async encodeBatch(batch: readonly ChunkedFile[]): Promise<(Float32Array | undefined)[]> {
    const texts = batch.flatMap((c) => (c.ok ? c.chunks.map(chunkEncodingText) : []));
    const all = await encodeRows(this.ctx.encoder, texts, this.ctx.options.token);
    const dim = this.ctx.encoder.dim;
    let at = 0;
    return batch.map((c) => {
      if (!c.ok) return undefined;
      const rows = all.subarray(at * dim, (at + c.chunks.length) * dim);
      at += c.chunks.length;
      return rows;
    });
  }

  summary(scanSkipped: readonly SkippedFile[], committed: boolean, durationMs: number): Omit<IndexSummary, 'storeDir'> {
    const skipped: Partial<Record<SkipReason, number>> = {};
    const count = (r: SkipReason) => (skipped[r] = (skipped[r] ?? 0) + 1);
    for (const s of scanSkipped) count(s.reason);
    let files = 0;
    let chunks = 0;
    for (const r of this.plan.records.values()) {
      if (r.skip) count(r.skip);
      else files++;
      chunks += r.range?.count ?? 0;
    }
    const { reused, removed } = this.plan;
    return { files, chunks, reused, rechunked: this.rechunked, removed: removed.length, skipped, durationMs, committed };
  }
}

function stats(f: ScannedFile): ScannedFile {
  return { path: f.path, size: f.size, mtimeMs: f.mtimeMs, hash: f.hash };
}
