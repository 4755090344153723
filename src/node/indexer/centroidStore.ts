/**
 * The centroid index of a stored index: loaded from the store's "centroids" blob when that was written for
 * the current generation, carried over incrementally from an older blob (chunks of unchanged files keep
 * their cluster, new ones join their nearest), or built from scratch. Written back at the end of an
 * indexing run, so that opening an index for search costs no k-means.
 */
import type { Chunk } from '../../common/chunk/chunk.ts';
import type { Logger } from '../../common/log.ts';
import { carryAssignments, decodeCentroidBlob, encodeCentroidBlob, fileRuns, type CentroidBlob } from '../../common/search/centroidBlob.ts';
import type { CalibrationSet } from '../../common/search/calibrationQueries.ts';
import { ClusteredSearch, type CentroidSettings } from '../../common/search/clusteredSearch.ts';
import { RECALL_CALIBRATION_VERSION } from '../../common/index/recallCalibration.ts';

export const CENTROID_BLOB = 'centroids';

/** The part of the store the centroid index needs (the SQLite store's blob API). */
export interface BlobStore {
  /** Increases with every commit; a blob is tagged with the generation current when it was written. */
  readonly generation: number;
  readBlob(name: string): Promise<{ generation: number; data: Uint8Array } | undefined>;
  /** `generation` defaults to the store's. */
  writeBlob(name: string, data: Uint8Array, generation?: number): Promise<void>;
}

/**
 * ⚑ STORE HOOK — the one function that knows whether the store can persist centroids: a store with
 * `readBlob`/`writeBlob` and `generation` (the SQLite store) is used as is; for any other this returns
 * undefined and search builds the centroid index in memory at every open.
 */
export function centroidBlobs(store: object): BlobStore | undefined {
  const s = store as Partial<BlobStore>;
  return typeof s.readBlob === 'function' && typeof s.writeBlob === 'function' && typeof s.generation === 'number' ? (s as BlobStore) : undefined;
}

/** What the centroid index is made from: one generation's chunks, their final vectors and file hashes. */
export interface CentroidSource {
  readonly chunks: readonly Chunk[];
  readonly vectors: Float32Array;
  readonly dim: number;
  readonly generation: number;
  readonly hashOf: (path: string) => string | undefined;
  /** Calibration queries for the recall target, made on demand (calibrationQueries.ts). */
  readonly calibration?: () => CalibrationSet;
}

export interface CentroidResult {
  readonly search: ClusteredSearch;
  /** 'stored': blob of this generation; 'carried': older blob updated; 'built': fresh k-means. */
  readonly how: 'stored' | 'carried' | 'built';
  /** τ was set again: the blob's came from an older rule or another recall target (the blob is then rewritten). */
  readonly recalibrated: boolean;
  readonly ms: number;
}

/** The centroid index for `src`, from `blob` when it fits the settings, else built. Never throws on a bad blob. */
export function centroidsFor(src: CentroidSource, s: CentroidSettings, blob: { generation: number; data: Uint8Array } | undefined, logger: Logger): CentroidResult {
  const t0 = performance.now();
  const runs = fileRuns(src.chunks, src.hashOf);
  let decoded: CentroidBlob | undefined;
  try {
    decoded = blob ? decodeCentroidBlob(blob.data) : undefined;
  } catch (e) {
    logger.warn(`stored centroids are unusable (${(e as Error).message}); rebuilding them`);
  }
  if (decoded && fits(decoded, src, s)) {
    const { itemFine } = carryAssignments(decoded, runs);
    const search = ClusteredSearch.fromRouting(decoded.routing, src.vectors, itemFine);
    const how = blob!.generation === src.generation ? 'stored' : 'carried';
    if (how === 'carried') settle(search, src, s, logger);
    const recalibrated = decoded.calibration !== RECALL_CALIBRATION_VERSION || decoded.recallTarget !== s.recallTarget;
    if (recalibrated) {
      logger.info(`stored τ came from calibration rule ${decoded.calibration} for recall ${decoded.recallTarget}; calibrating again (rule ${RECALL_CALIBRATION_VERSION}, recall ${s.recallTarget})`);
      search.calibrate(s, src.calibration?.());
    }
    return { search, how, recalibrated, ms: performance.now() - t0 };
  }
  return { search: ClusteredSearch.build(src.vectors, src.dim, s, src.calibration?.()), how: 'built', recalibrated: false, ms: performance.now() - t0 };
}

/** The blob that `centroidsFor` reads back. */
export function centroidBlobOf(search: ClusteredSearch, src: Pick<CentroidSource, 'chunks' | 'hashOf'>, s: CentroidSettings): Uint8Array {
  return encodeCentroidBlob({ runs: fileRuns(src.chunks, src.hashOf), routing: search.index.routing(), recallTarget: s.recallTarget, calibration: RECALL_CALIBRATION_VERSION });
}

/** Same dimension and clustering settings (else the stored clusters answer another question); τ's recall target may differ (re-calibrated). */
function fits(b: CentroidBlob, src: CentroidSource, s: CentroidSettings): boolean {
  const o = b.routing.options;
  return b.routing.dim === src.dim && o.fineFraction === s.fineFraction && o.coarseFraction === s.coarseFraction
    && o.temperature === s.temperature && o.quantile === s.quantile && o.seed === s.seed;
}

/**
 * After an incremental update: re-cluster a level (then re-calibrate τ) or compact when health says so.
 * Otherwise τ stays: a few chunks more or less barely move Ŝ, and re-calibrating costs seconds.
 */
function settle(search: ClusteredSearch, src: CentroidSource, s: CentroidSettings, logger: Logger): void {
  const advice = search.index.needsRecluster();
  if (advice.fine || advice.coarse) {
    logger.info(`re-clustering ${advice.fine && advice.coarse ? 'both levels' : advice.fine ? 'the fine level' : 'the coarse level'}: ${advice.reasons.join(', ')}`);
    search.index.recluster(advice.fine && advice.coarse ? 'all' : advice.fine ? 'fine' : 'coarse');
    search.calibrate(s, src.calibration?.());
  } else if (advice.compact) {
    search.index.compact();
  }
}

/** At open: the centroid index of `src`, or undefined below `minChunks` (exact search) or when it cannot be made. */
export async function openCentroids(store: object, src: CentroidSource, s: CentroidSettings, logger: Logger): Promise<ClusteredSearch | undefined> {
  if (src.chunks.length < s.minChunks) return undefined;
  const blobs = centroidBlobs(store);
  try {
    const blob = await blobs?.readBlob(CENTROID_BLOB);
    const r = centroidsFor(src, s, blob, logger);
    const { coarse, fine } = r.search.index.levels;
    const note = blobs ? '' : ' (the store cannot persist it yet)';
    logger.info(`centroid index ${r.how} in ${Math.round(r.ms)} ms: ${src.chunks.length} chunks, ${coarse} coarse / ${fine} fine clusters${note}`);
    // Keep what was built for the next open, unless the indexer already stored a newer one meanwhile.
    if (blobs && (r.recalibrated || (r.how !== 'stored' && (blob?.generation ?? -1) < src.generation))) await keep(blobs, r.search, src, s, logger);
    return r.search;
  } catch (e) {
    logger.warn(`no centroid index, searching exactly: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * End of an indexing run: bring the stored centroids up to the store's generation (incrementally when an
 * older blob exists). Does nothing when the store has no blob API or the blob is current.
 */
export async function persistCentroids(store: object, load: () => Promise<CentroidSource>, s: CentroidSettings, logger: Logger): Promise<void> {
  const blobs = centroidBlobs(store);
  if (!blobs) return;
  const blob = await blobs.readBlob(CENTROID_BLOB);
  if (blob?.generation === blobs.generation) return;
  const src = await load();
  if (src.chunks.length < s.minChunks) return;
  const r = centroidsFor(src, s, blob, logger);
  await blobs.writeBlob(CENTROID_BLOB, centroidBlobOf(r.search, src, s), src.generation);
  logger.info(`centroid index ${r.how} in ${Math.round(r.ms)} ms and stored for generation ${blobs.generation}`);
}

/** Best effort: a reader may fail to write (busy, read-only); the next open then builds again. */
async function keep(blobs: BlobStore, search: ClusteredSearch, src: CentroidSource, s: CentroidSettings, logger: Logger): Promise<void> {
  try {
    await blobs.writeBlob(CENTROID_BLOB, centroidBlobOf(search, src, s), src.generation);
  } catch (e) {
    logger.debug(`centroid index not stored: ${(e as Error).message}`);
  }
}
