/**
 * Builds or updates the index of a repository: scan (stat-only for files unchanged since the stored
 * manifest), read and chunk only new or changed files, hash their chunks into term vectors, keep the IDF
 * counts exact by adding new rows and removing dead ones, and commit through the store: a checkpoint every
 * `checkpointFiles` files or `checkpointMs`, so a killed run loses at most one batch and the next run
 * continues. Nothing is written when nothing changed.
 */
import fs from 'node:fs/promises';
import { isCancellationError, type CancellationToken } from '../../common/cancellation.ts';
import { NULL_LOGGER, scopedLogger, type Logger } from '../../common/log.ts';
import type { SkipReason } from '../../common/scan/scannedFile.ts';
import { scanRepository } from '../scan/repositoryScanner.ts';
import { IndexStore } from '../store/indexStore.ts';
import { acquireIndexLock } from '../store/indexLock.ts';
import type { FileChunker } from './fileChunks.ts';
import { hashedIndexEncoder, type IndexEncoder } from './indexEncoder.ts';
import { IndexRun } from './indexRun.ts';
import { refreshStoredCentroids } from './storedCentroids.ts';
import type { CentroidSettings } from '../../common/search/clusteredSearch.ts';
import { DEFAULT_CHUNK_TOKENS, builtInEncoder, expectationFor, indexDirExclude, storeDirFor } from './indexSettings.ts';

export type IndexPhase = 'scan' | 'chunk' | 'encode' | 'commit';

export interface IndexProgress {
  readonly phase: IndexPhase;
  readonly done: number;
  /** 0 while unknown (during the scan). */
  readonly total: number;
  readonly path: string;
}

export interface IndexOptions {
  /** Folder of the index; default `<root>/.squeeze`. The store lives in its `index-v<N>` subfolder. */
  indexDir?: string;
  maxFileBytes?: number;
  chunkTokens?: number;
  extraExcludes?: readonly string[];
  logger?: Logger;
  token?: CancellationToken;
  onProgress?: (p: IndexProgress) => void;
  /** Commit a checkpoint after this many chunked files (default 2000) ... */
  checkpointFiles?: number;
  /** ... or after this many milliseconds since the last commit (default 30,000). */
  checkpointMs?: number;
  /** Default: an AstChunker, loaded only when some file needs chunking. */
  chunker?: FileChunker;
  /** Run SQLite's integrity check on the stored index before trusting it (default: only after a crash). */
  verifyChecksums?: boolean;
  /** The encoder (default: the built-in hashed encoder). A dense one is not disposed by the run. */
  encoder?: IndexEncoder;
  /** Centroid index settings; from `minChunks` chunks up the run stores the centroids with the index. */
  centroids?: Partial<CentroidSettings>;
}

export interface IndexSummary {
  /** Files in the index with their chunks (skipped files not counted). */
  files: number;
  chunks: number;
  /** Files whose stored chunks were kept (content hash unchanged). */
  reused: number;
  /** Files read and chunked in this run. */
  rechunked: number;
  removed: number;
  /** Files and folders not indexed, per reason (scanner and indexer together). */
  skipped: Partial<Record<SkipReason, number>>;
  durationMs: number;
  /** Whether this run wrote anything. */
  committed: boolean;
  /** Set when a stored index could not be used and was rebuilt. */
  rebuildReason?: string;
  /** The store folder (`<indexDir>/index-v<N>`). */
  storeDir: string;
}

export async function indexRepository(root: string, options: IndexOptions = {}): Promise<IndexSummary> {
  const started = performance.now();
  const logger = options.logger ?? NULL_LOGGER;
  const storeDir = storeDirFor(root, options.indexDir);
  const encoder = options.encoder ?? hashedIndexEncoder(builtInEncoder());
  const chunkTokens = options.chunkTokens ?? DEFAULT_CHUNK_TOKENS;
  await fs.mkdir(storeDir, { recursive: true });
  const lock = await acquireIndexLock(storeDir);
  let store: IndexStore | undefined;
  try {
    store = await IndexStore.open(storeDir, {
      ...expectationFor(encoder, chunkTokens), logger: scopedLogger(logger, 'store'), verifyChecksums: options.verifyChecksums === true, lock,
    });
    const previous = new Map((store.manifest?.files ?? []).map((e) => [e.path, { path: e.path, size: e.size, mtimeMs: e.mtimeMs, hash: e.hash }]));
    const scan = await scanRepository(root, {
      ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
      extraExcludes: [...(options.extraExcludes ?? []), ...indexDirExclude(root, options.indexDir)],
      logger, previous,
      ...(options.token ? { token: options.token } : {}),
      onProgress: (p) => options.onProgress?.({ phase: 'scan', done: p.seen, total: 0, path: p.path }),
    });
    const run = new IndexRun({ root, store, encoder, chunkTokens, options, logger: scopedLogger(logger, 'index') });
    const committed = await run.execute(scan.files);
    await refreshStoredCentroids(store, encoder, { settings: options.centroids ?? {}, logger: scopedLogger(logger, 'centroids'), ...(options.token ? { token: options.token } : {}) });
    const summary = run.summary(scan.skipped, committed, performance.now() - started);
    logger.info(`[index] ${summary.files} files, ${summary.chunks} chunks (${summary.reused} reused, ${summary.rechunked} chunked, ${summary.removed} removed) in ${Math.round(summary.durationMs)} ms`);
    return { ...summary, storeDir, ...(store.rebuildReason ? { rebuildReason: store.rebuildReason } : {}) };
  } catch (e) {
    if (!isCancellationError(e)) logger.error(`[index] indexing ${root} failed: ${(e as Error).message}`);
    throw e;
  } finally {
    store?.close();
    await lock.release();
  }
}
