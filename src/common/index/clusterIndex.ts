import { clusterTwoLevel, clusterWithinCoarse, levelSizes } from './twoLevelClustering.ts';
import { layoutState, liveItems, type ClusterState } from './clusterState.ts';
import { exactState, newScratch, searchRouted, searchState, type SearchExplain, type SearchHit, type Thresholds } from './clusterSearch.ts';
import { calibrateQuantile } from './thresholdCalibration.ts';
import { calibrateForRecall, type RecallCalibration, type RecallScope } from './recallCalibration.ts';
import { addItem, nearestFine, removeItem, reviveItem } from './clusterUpdates.ts';
import { DEFAULT_RECLUSTER_BOUNDS, adviseRecluster, measureHealth, type IndexHealth, type ReclusterAdvice, type ReclusterBounds } from './clusterHealth.ts';
import { PERSISTED_OPTIONS, deserializeState, serializeState, type PersistedOptions } from './clusterSerialization.ts';
import { regroupCoarse } from './coarseRegroup.ts';
import type { ClusterRouting } from './clusterRouting.ts';
import { RowMatrix } from './rowMatrix.ts';
import { SparsePostings, worthPostings } from './sparsePostings.ts';
import { choosePath, postingSearchState, type PostingScratch } from './postingSearch.ts';
import { countOf, gather, type PackedVectors } from './kmeans.ts';
import { Prng } from './prng.ts';
import { normalizeInPlace, unitCopy } from './vectorMath.ts';
import type { KernelBackend } from './dotKernel.ts';

export type { SearchHit, SearchExplain, Thresholds, IndexHealth, ReclusterAdvice, ReclusterBounds, RecallCalibration, RecallScope, PackedVectors, ClusterRouting };

export interface ClusterIndexOptions extends Partial<PersistedOptions> {
  readonly backend?: KernelBackend;
  readonly bounds?: Partial<ReclusterBounds>;
}

/** Defaults: DESIGN.md's 5% per level, T = 0.05 (the scale 20 of sentence-encoder training), p = 0.9. */
export const DEFAULT_INDEX_OPTIONS: PersistedOptions = {
  fineFraction: 0.05, coarseFraction: 0.05, temperature: 0.05, quantile: 0.9,
  seed: 1, iterations: 10, fineIterations: 5, samplePerCentroid: 32, calibrationSize: 256,
};

/** Calibration assumes lookups ask for this many hits (each level keeps at least that many members). */
const CALIBRATION_K = 10;

export interface SearchOptions {
  /** Override the calibrated thresholds (e.g. −∞ keeps every cluster). */
  readonly thresholds?: Thresholds;
  /** Each level keeps at least enough clusters to hold this many members. Default k. */
  readonly minItems?: number;
  /**
   * 'auto' (default): posting lists when the index has them (sparse rows) and they cost less than the
   * cluster path would for this query (postingSearch.ts), else the clusters. 'clusters' or 'postings'
   * force one ('postings' needs sparse rows; it falls back to the clusters without them).
   */
  readonly path?: 'auto' | 'clusters' | 'postings';
}

export type ReclusterLevel = 'fine' | 'coarse' | 'all';

/**
 * Two-level squeezed-attention centroid index over unit vectors (DESIGN.md "Cluster and look up").
 * Build, calibrate, search, update incrementally, re-cluster on demand, serialise.
 */
export class ClusterIndex {
  private state: ClusterState;
  private scratch: PostingScratch;
  /** Posting lists of the state's rows when they are sparse (built with the layout, see `replace`). */
  private postings: SparsePostings | undefined;
  private current: Thresholds;
  private readonly opts: PersistedOptions;
  private readonly backend: KernelBackend | undefined;
  private readonly bounds: ReclusterBounds;

  private constructor(state: ClusterState, opts: PersistedOptions, extra: Pick<ClusterIndexOptions, 'backend' | 'bounds'> & { thresholds?: Thresholds }) {
    this.state = state;
    this.scratch = newScratch(state);
    this.postings = postingsOf(state);
    this.opts = opts;
    this.backend = extra.backend;
    this.bounds = { ...DEFAULT_RECLUSTER_BOUNDS, ...extra.bounds };
    this.current = extra.thresholds ?? { temperature: opts.temperature, logTauCoarse: -Infinity, logTauFine: -Infinity };
  }

  /**
   * Clusters `vectors` (normalised if needed). Ids are integers in [0, 2³²) (store row ids), default
   * 0..n−1. Calibrates τ with the quantile rule on sampled items. CPU-heavy: run it in a worker.
   */
  static build(vectors: PackedVectors, ids?: ArrayLike<number>, options: ClusterIndexOptions = {}): ClusterIndex {
    const opts = persistedOf(options);
    const points = unitRows(vectors);
    const n = countOf(points);
    if (n === 0) throw new RangeError('ClusterIndex.build: no vectors');
    const clustering = clusterTwoLevel(points, { ...opts, backend: options.backend });
    const itemIds = ids ?? Uint32Array.from({ length: n }, (_, i) => i);
    const state = layoutState({ points, ids: itemIds, ...clustering, fresh: true });
    const index = new ClusterIndex(state, opts, options);
    index.calibrate();
    return index;
  }

  static deserialize(buf: ArrayBuffer, options: Pick<ClusterIndexOptions, 'backend' | 'bounds'> = {}): ClusterIndex {
    const parts = deserializeState(buf, options.backend);
    return new ClusterIndex(parts.state, parts.options, { ...options, thresholds: parts.thresholds });
  }

  /**
   * An index over `vectors` (ids as in build) with stored routing: items with `itemFine[i] ≥ 0` join that
   * fine cluster, the others their nearest one (as `add`). No k-means; thresholds come from the routing.
   */
  static fromRouting(r: ClusterRouting, vectors: PackedVectors, ids: ArrayLike<number>, itemFine: Int32Array, options: Pick<ClusterIndexOptions, 'backend' | 'bounds'> = {}): ClusterIndex {
    if (vectors.dim !== r.dim) throw new RangeError(`routing has dim ${r.dim}, vectors ${vectors.dim}`);
    const points = unitRows(vectors);
    const known = Uint32Array.from(Array.from(itemFine.keys()).filter((i) => itemFine[i]! >= 0));
    const packed = (data: Float32Array): RowMatrix => {
      const m = new RowMatrix(r.dim, data.length / r.dim, options.backend);
      m.append(data, 0, data.length / r.dim);
      return m;
    };
    const state = layoutState({
      points: gather(points, known), ids: Array.from(known, (i) => ids[i]!), itemFine: Int32Array.from(known, (i) => itemFine[i]!),
      fine: packed(r.fine), fineParent: Int32Array.from(r.fineParent), coarse: packed(r.coarse), baseline: r.baseline,
    });
    const index = new ClusterIndex(state, { ...r.options }, { ...options, thresholds: r.thresholds });
    for (let i = 0; i < itemFine.length; i++) if (itemFine[i]! < 0) index.add(ids[i]!, points.data.subarray(i * r.dim, (i + 1) * r.dim));
    return index;
  }

  get dim(): number {
    return this.state.dim;
  }

  /** Clusters per level (the coarse and fine ids of hits lie below these). */
  get levels(): { readonly coarse: number; readonly fine: number } {
    return { coarse: this.state.coarse.rows, fine: this.state.fine.rows };
  }

  /** The coarse parent of fine cluster `fine`. */
  coarseOf(fine: number): number {
    return this.state.fineParent[fine]!;
  }

  get size(): number {
    return this.state.live;
  }

  get thresholds(): Thresholds {
    return this.current;
  }

  set thresholds(t: Thresholds) {
    this.current = t;
  }

  get options(): Readonly<PersistedOptions> {
    return this.opts;
  }

  /** Sets τ per level to the p-quantile of Ŝ over calibration queries (default: sampled items). */
  calibrate(queries?: PackedVectors, quantile = this.opts.quantile): Thresholds {
    const q = queries ? unitRows(queries) : this.sampleItems();
    const th = calibrateQuantile(this.state, q, this.scratch, { quantile, temperature: this.opts.temperature, minItems: CALIBRATION_K });
    this.current = th;
    return th;
  }

  /**
   * Sets τ to the sparsest quantile whose lookups reach `targetRecall`@k on `queries`, measured against
   * exact search (pass `truth`, the exact top-k ids per query, to skip computing it). Recall is that of
   * the lookups `search` makes, posting lists included where it would read them; with `scope: 'clusters'`
   * only the queries answered from clusters count (recallCalibration.ts, RecallScope).
   */
  calibrateForRecall(queries: PackedVectors, targetRecall: number, o: { k?: number; truth?: readonly (readonly number[])[]; range?: readonly [number, number]; scope?: RecallScope } = {}): RecallCalibration {
    const k = o.k ?? CALIBRATION_K;
    const r = calibrateForRecall(this.state, unitRows(queries), this.scratch, {
      targetRecall, k, minItems: k, quantile: this.opts.quantile, temperature: this.opts.temperature, truth: o.truth, ...(o.range ? { range: o.range } : {}), ...(o.scope ? { scope: o.scope } : {}),
      lookup: (q, t) => this.lookup(q, t, 'auto'),
    });
    this.current = r.thresholds;
    return r;
  }

  search(query: ArrayLike<number>, k: number, options: SearchOptions = {}): { hits: SearchHit[]; explain: SearchExplain } {
    const q = unitCopy(query, this.state.dim);
    return this.lookup(q, { ...(options.thresholds ?? this.current), k, minItems: options.minItems ?? k }, options.path ?? 'auto');
  }

  /** One lookup of unit query q along the chosen (or forced) path. */
  private lookup(q: Float32Array, o: Thresholds & { k: number; minItems: number }, path: NonNullable<SearchOptions['path']>): { hits: SearchHit[]; explain: SearchExplain } {
    const p = this.postings;
    if (!p || path === 'clusters') return searchState(this.state, q, this.scratch, o);
    const chosen = path === 'postings' ? 'postings' : choosePath(this.state, p, q, this.scratch, o);
    if (chosen !== 'postings') return searchRouted(this.state, q, this.scratch, o, chosen);
    return postingSearchState(this.state, p, q, this.scratch, { ...o, coarseScored: path === 'auto' });
  }

  /** Whether this index holds posting lists (its rows are sparse), so lookups may read them. */
  get hasPostings(): boolean {
    return this.postings !== undefined;
  }

  exactSearch(query: ArrayLike<number>, k: number): SearchHit[] {
    return exactState(this.state, unitCopy(query, this.state.dim), k);
  }

  has(id: number): boolean {
    return this.state.where.has(id);
  }

  /** Adds or replaces item `id`, assigned to its nearest fine cluster (no re-clustering). */
  add(id: number, vector: ArrayLike<number>): void {
    const v = unitCopy(vector, this.state.dim);
    removeItem(this.state, id);
    const f = nearestFine(this.state, v, { coarse: this.scratch.coarseSims, fine: this.scratch.fineSims });
    addItem(this.state, id, v, f);
  }

  update(id: number, vector: ArrayLike<number>): void {
    this.add(id, vector);
  }

  remove(id: number): boolean {
    return removeItem(this.state, id);
  }

  /**
   * Runs `fn` with the items `ids` left out of every lookup, then puts them back in their own rows and
   * clusters: the layout is the same before and after, with no compaction (which would copy every vector).
   */
  withHeldOut<T>(ids: Iterable<number>, fn: () => T): T {
    const s = this.state;
    const touchedBefore = new Set(s.touchedSums.keys());
    const held: [number, number][] = [];
    for (const id of ids) {
      const r = s.where.get(id);
      if (r !== undefined && removeItem(s, id)) held.push([id, r]);
    }
    try {
      return fn();
    } finally {
      for (const [id, r] of held) reviveItem(s, id, r);
      for (const f of [...s.touchedSums.keys()]) if (!touchedBefore.has(f)) s.touchedSums.delete(f);
    }
  }

  /** Folds extra rows and tombstones back into contiguous cluster blocks; clusters and results unchanged. */
  compact(): void {
    const live = liveItems(this.state);
    const s = this.state;
    this.replace(layoutState({ ...live, fine: s.fine, fineParent: Int32Array.from(s.fineParent), coarse: s.coarse, baseline: s.baseline }));
  }

  /**
   * Re-clusters one level ('all' = a fresh build of both) over the live items, then re-calibrates τ with
   * the quantile rule (call calibrateForRecall again if that mode is in use). CPU-heavy: run it in a worker.
   */
  recluster(level: ReclusterLevel): void {
    const live = liveItems(this.state);
    const o = { ...this.opts, backend: this.backend };
    if (level === 'coarse') {
      const regrouped = regroupCoarse(this.state, o);
      this.replace(layoutState({ ...live, fine: this.state.fine, ...regrouped }));
    } else {
      const sizes = levelSizes(live.ids.length, o);
      const parents = Int32Array.from(live.itemFine, (f) => this.state.fineParent[f]!);
      const c = level === 'all' ? clusterTwoLevel(live.points, o) : clusterWithinCoarse(live.points, parents, sizes.fine, o);
      this.replace(layoutState({ points: live.points, ids: live.ids, ...c, fresh: true }));
    }
    this.calibrate();
  }

  health(): IndexHealth {
    return measureHealth(this.state);
  }

  needsRecluster(bounds: Partial<ReclusterBounds> = {}): ReclusterAdvice {
    return adviseRecluster(this.health(), { ...this.bounds, ...bounds });
  }

  /** Centroids, the fine cluster of every live item, thresholds: what `fromRouting` needs beside the vectors. */
  routing(): ClusterRouting {
    const s = this.state;
    const ids = new Uint32Array(s.live);
    const itemFine = new Uint32Array(s.live);
    let j = 0;
    for (let r = 0; r < s.rows.rows; r++) {
      if (s.rowDead[r]) continue;
      ids[j] = s.rowIds[r]!;
      itemFine[j++] = s.rowFine[r]!;
    }
    const packed = (m: RowMatrix): Float32Array => {
      const out = new Float32Array(m.rows * s.dim);
      for (let i = 0; i < m.rows; i++) out.set(m.row(i), i * s.dim);
      return out;
    };
    return {
      dim: s.dim, coarse: packed(s.coarse), fine: packed(s.fine), fineParent: Uint32Array.from(s.fineParent), ids, itemFine,
      thresholds: this.current, baseline: s.baseline, options: { ...this.opts },
    };
  }

  /** The compact binary form (compacts first if needed). */
  serialize(): ArrayBuffer {
    if (this.state.dead > 0 || this.state.rows.rows !== this.state.mainRows) this.compact();
    return serializeState({ state: this.state, thresholds: this.current, options: this.opts });
  }

  /** Bytes held: item vectors (padded rows) and everything else (centroids, ids, offsets, id map estimate, postings). */
  memory(): { vectorBytes: number; overheadBytes: number } {
    const s = this.state;
    const arrays = [s.coarseFine, s.coarseCount, s.fineParent, s.fineRows, s.fineCount, s.fineDrift, s.rowIds, s.rowFine, s.rowDead];
    const mapBytes = 40 * s.where.size;
    const bytes = arrays.reduce((a, x) => a + x.byteLength, 0) + s.coarse.bytes + s.fine.bytes + mapBytes + (this.postings?.bytes ?? 0);
    return { vectorBytes: s.rows.bytes, overheadBytes: bytes };
  }

  private replace(state: ClusterState): void {
    this.state = state;
    this.scratch = newScratch(state);
    this.postings = postingsOf(state);
  }

  private sampleItems(): PackedVectors {
    const live = this.state.rows.rows;
    const rng = new Prng(this.opts.seed + 101);
    const picks = Array.from(rng.sample(live, Math.min(live, this.opts.calibrationSize * 2))).filter((r) => !this.state.rowDead[r]);
    const data = new Float32Array(Math.min(picks.length, this.opts.calibrationSize) * this.state.dim);
    picks.slice(0, data.length / this.state.dim).forEach((r, j) => data.set(this.state.rows.row(r), j * this.state.dim));
    return { data, dim: this.state.dim };
  }
}

/** Postings of the main rows when they are sparse enough to pay off (rows appended later: dense scan). */
function postingsOf(s: ClusterState): SparsePostings | undefined {
  return worthPostings(s.rows) ? SparsePostings.build(s.rows, s.mainRows) : undefined;
}

/** The vectors themselves when already unit length, else a normalised copy. */
function unitRows(v: PackedVectors): PackedVectors {
  const n = countOf(v);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0, o = i * v.dim; d < v.dim; d++) s += v.data[o + d]! * v.data[o + d]!;
    if (Math.abs(Math.sqrt(s) - 1) > 1e-4) {
      const copy = gather(v, Uint32Array.from({ length: n }, (_, j) => j));
      for (let j = 0; j < n; j++) normalizeInPlace(copy.data, j * v.dim, v.dim);
      return copy;
    }
  }
  return v;
}

/** The defaults overridden by the persisted options that are set. */
function persistedOf(o: ClusterIndexOptions): PersistedOptions {
  const out = { ...DEFAULT_INDEX_OPTIONS };
  for (const key of PERSISTED_OPTIONS) if (o[key] !== undefined) out[key] = o[key];
  return out;
}
