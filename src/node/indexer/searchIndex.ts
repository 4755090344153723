/**
 * Query side of the built-in index: load the store once (chunks, term rows weighted by the stored IDF
 * and L2-normalised), encode a query with the same encoder and IDF, and rank every chunk exactly.
 */
import type { CancellationToken } from '../../common/cancellation.ts';
import type { Chunk } from '../../common/chunk/chunk.ts';
import type { HashedEncoder } from '../../common/encode/hashedEncoder.ts';
import { NULL_LOGGER, scopedLogger, type Logger } from '../../common/log.ts';
import { exactTopK } from '../../common/search/exactSearch.ts';
import { IndexStore, type LoadedIndex } from '../store/indexStore.ts';
import { IndexCorruptError } from '../store/indexSegment.ts';
import { DEFAULT_CHUNK_TOKENS, builtInEncoder, expectationFor, storeDirFor } from './indexSettings.ts';

export interface SearchHit {
  readonly chunk: Chunk;
  /** Cosine similarity between query and chunk, in [-1, 1]. */
  readonly score: number;
}

export interface SearchOptions {
  /** Default 10. */
  k?: number;
  indexDir?: string;
  chunkTokens?: number;
  logger?: Logger;
  token?: CancellationToken;
}

/** There is no usable index: none yet, another format or encoder, or damaged data. `reason` says which. */
export class IndexMissingError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`no usable index: ${reason}`);
    this.name = 'IndexMissingError';
    this.reason = reason;
  }
}

export class SearchIndex {
  readonly chunks: readonly Chunk[];
  /** Final vectors, one row per chunk. */
  readonly vectors: Float32Array;
  readonly encoder: HashedEncoder;
  /** False when the last indexing run stopped before the end (the index covers part of the files). */
  readonly complete: boolean;

  constructor(loaded: LoadedIndex, encoder: HashedEncoder) {
    this.encoder = encoder.withIdf(loaded.manifest.idf ?? undefined);
    this.chunks = loaded.chunks;
    this.vectors = this.encoder.weightRows(loaded.rows);
    this.complete = loaded.manifest.complete;
  }

  async search(query: string, k = 10, token?: CancellationToken): Promise<SearchHit[]> {
    const q = this.encoder.encodeMatrix([query]);
    if (!q.some((v) => v !== 0)) return [];
    const top = await exactTopK(this.vectors, q, { k, dim: this.encoder.dim, ...(token ? { token } : {}) });
    return top.filter((t) => t.score > 0).map((t) => ({ chunk: this.chunks[t.index] as Chunk, score: t.score }));
  }
}

/** Loads the index of `root`; throws IndexMissingError when there is none that can be used. */
export async function openSearchIndex(root: string, options: Omit<SearchOptions, 'k' | 'token'> = {}): Promise<SearchIndex> {
  const logger = scopedLogger(options.logger ?? NULL_LOGGER, 'search');
  const encoder = builtInEncoder();
  const expect = expectationFor(encoder, options.chunkTokens ?? DEFAULT_CHUNK_TOKENS);
  const dir = storeDirFor(root, options.indexDir);
  for (let attempt = 0; ; attempt++) {
    const store = await IndexStore.open(dir, { ...expect, logger, verifyChecksums: false });
    if (!store.manifest) throw new IndexMissingError(store.rebuildReason ?? `nothing indexed yet in ${dir}`);
    try {
      return new SearchIndex(await store.load(), encoder);
    } catch (e) {
      // A commit may have replaced the manifest and deleted its files while we read: look once more.
      if (!(e instanceof IndexCorruptError)) throw e;
      if (attempt > 0) throw new IndexMissingError(`stored data is damaged: ${e.message}`);
      logger.debug(`retrying after: ${e.message}`);
    }
  }
}

export async function searchRepository(root: string, query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  const index = await openSearchIndex(root, options);
  return index.search(query, options.k ?? 10, options.token);
}
