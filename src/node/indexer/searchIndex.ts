/**
 * Query side of the built-in index: load the store once (chunks, term rows weighted by the stored IDF
 * and L2-normalised), encode a query with the same encoder and IDF, and rank the chunks: exactly below
 * `centroids.minChunks`, through the squeezed-attention centroid index from there up (centroidStore.ts).
 */
import type { CancellationToken } from '../../common/cancellation.ts';
import type { Chunk } from '../../common/chunk/chunk.ts';
import type { HashedEncoder } from '../../common/encode/hashedEncoder.ts';
import { NULL_LOGGER, scopedLogger, type Logger } from '../../common/log.ts';
import { calibrationQueries, type CalibrationSet } from '../../common/search/calibrationQueries.ts';
import { DEFAULT_CENTROID_SETTINGS, rankRows, type CentroidSettings, type ClusterRef, type ClusteredSearch, type QueryExplain } from '../../common/search/clusteredSearch.ts';
import { IndexCorruptError, IndexStore, type LoadedIndex } from '../store/indexStore.ts';
import { openCentroids, type CentroidSource } from './centroidStore.ts';
import { hashedIndexEncoder, type IndexEncoder } from './indexEncoder.ts';
import { queryEncoderFor, type QueryEncoder } from './queryEncoder.ts';
import { DEFAULT_CHUNK_TOKENS, builtInEncoder, expectationFor, storeDirFor } from './indexSettings.ts';

export interface SearchHit {
  readonly chunk: Chunk;
  /** Cosine similarity between query and chunk, in [-1, 1]. */
  readonly score: number;
  /** Coarse and fine cluster of the chunk (centroid lookups only). */
  readonly cluster?: ClusterRef;
  /** Estimated attention mass Ŝ(q, cluster) of one member of that cluster (centroid lookups only). */
  readonly mass?: number;
}

export interface SearchOptions {
  /** Default 10. */
  k?: number;
  indexDir?: string;
  chunkTokens?: number;
  logger?: Logger;
  token?: CancellationToken;
  /** Centroid lookup settings (minChunks, level fractions, temperature, quantile); defaults otherwise. */
  centroids?: Partial<CentroidSettings>;
  /** The encoder the index was built with (default: the built-in hashed encoder); the caller disposes it. */
  encoder?: IndexEncoder;
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
  /** Encodes queries as the stored rows were encoded (hashed with the stored IDF, or the dense model). */
  readonly queries: QueryEncoder;
  /** False when the last indexing run stopped before the end (the index covers part of the files). */
  readonly complete: boolean;
  readonly settings: CentroidSettings;
  /** The centroid index, once `useCentroids` made one; exact search while undefined. */
  centroids: ClusteredSearch | undefined;
  private readonly loaded: LoadedIndex;

  constructor(loaded: LoadedIndex, encoder: IndexEncoder, settings: Partial<CentroidSettings> = {}) {
    this.queries = queryEncoderFor(encoder, loaded.manifest.idf);
    this.chunks = loaded.chunks;
    this.vectors = this.queries.searchVectors(loaded.rows);
    this.complete = loaded.manifest.complete;
    this.settings = { ...DEFAULT_CENTROID_SETTINGS, ...settings };
    this.loaded = loaded;
  }

  /** Loads, carries over or builds the centroid index when there are at least `settings.minChunks` chunks. */
  async useCentroids(store: object, logger: Logger): Promise<void> {
    this.centroids = await openCentroids(store, this.centroidSource(), this.settings, logger);
  }

  /** The IDF-weighted hashed encoder of this index; undefined when it was built with a dense encoder. */
  get hashed(): HashedEncoder | undefined {
    return this.queries.hashed;
  }

  /**
   * What the centroid index of this generation is made from. Calibration queries are made from the chunks'
   * text with the hashed encoder; a dense index calibrates on sampled chunk vectors (encoding hundreds of
   * queries through the model at open would cost more than it tells).
   */
  centroidSource(): CentroidSource {
    const files = new Map(this.loaded.manifest.files.map((f) => [f.path, f.hash]));
    const hashed = this.queries.hashed;
    const calibration = hashed ? (): CalibrationSet => calibrationQueries(this.chunks.map((c) => c.text), hashed, { count: this.settings.calibrationQueries, seed: this.settings.seed }) : undefined;
    return { chunks: this.chunks, vectors: this.vectors, dim: this.queries.dim, generation: this.loaded.manifest.generation, hashOf: (p) => files.get(p), ...(calibration ? { calibration } : {}) };
  }

  async search(query: string, k = 10, token?: CancellationToken): Promise<SearchHit[]> {
    return (await this.searchExplained(query, k, token)).hits;
  }

  /** `search`, and what it scored: clusters kept per level, vectors scored, thresholds (`--explain`). */
  async searchExplained(query: string, k = 10, token?: CancellationToken): Promise<{ hits: SearchHit[]; explain: QueryExplain }> {
    const q = await this.queries.encode([query], token);
    const exactReason = this.chunks.length < this.settings.minChunks ? `${this.chunks.length} chunks, below ${this.settings.minChunks}` : 'no centroid index';
    const r = await rankRows(this.vectors, q, { k, dim: this.queries.dim, ...(token ? { token } : {}), ...(this.centroids ? { centroids: this.centroids } : { exactReason }) });
    const hits = r.rows.map((h) => ({ chunk: this.chunks[h.row] as Chunk, score: h.score, ...(h.cluster ? { cluster: h.cluster, mass: h.mass } : {}) }));
    return { hits, explain: r.explain };
  }
}

/** Loads the index of `root`; throws IndexMissingError when there is none that can be used. */
export async function openSearchIndex(root: string, options: Omit<SearchOptions, 'k' | 'token'> = {}): Promise<SearchIndex> {
  const logger = scopedLogger(options.logger ?? NULL_LOGGER, 'search');
  const encoder = options.encoder ?? hashedIndexEncoder(builtInEncoder());
  const expect = expectationFor(encoder, options.chunkTokens ?? DEFAULT_CHUNK_TOKENS);
  const dir = storeDirFor(root, options.indexDir);
  const store = await IndexStore.open(dir, { ...expect, logger, verifyChecksums: false });
  try {
    if (!store.manifest) throw new IndexMissingError(store.rebuildReason ?? `nothing indexed yet in ${dir}`);
    const index = new SearchIndex(await store.load(), encoder, options.centroids);
    await index.useCentroids(store, logger);
    return index;
  } catch (e) {
    if (e instanceof IndexCorruptError) throw new IndexMissingError(`stored data is damaged: ${e.message}`);
    throw e;
  } finally {
    store.close();
  }
}

export async function searchRepository(root: string, query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  const index = await openSearchIndex(root, options);
  return index.search(query, options.k ?? 10, options.token);
}
