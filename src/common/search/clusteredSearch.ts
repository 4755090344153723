/**
 * Ranks chunk vectors for a query: exact brute force below `minChunks`, the two-level squeezed-attention
 * centroid index (DESIGN.md "Cluster and look up") from there up. Centroid hits carry their cluster and
 * its estimated attention mass Ŝ(q,c); every query explains what it scored.
 */
import { throwIfCancelled, type CancellationToken } from '../cancellation.ts';
import { ClusterIndex, type ClusterRouting } from '../index/clusterIndex.ts';
import type { CalibrationSet } from './calibrationQueries.ts';
import { exactTopK } from './exactSearch.ts';

/** Settings of the centroid lookup; each is an option of the search (see docs/decisions.md). */
export interface CentroidSettings {
  /** Use the centroid index from this many chunks up; below it exact search is as fast. */
  readonly minChunks: number;
  /** Fine clusters per chunk (0.05 = one per 20 chunks, DESIGN.md's 5%). */
  readonly fineFraction: number;
  /** Coarse clusters per fine cluster. */
  readonly coarseFraction: number;
  /** T of the estimator Ŝ(q,c) = exp(q·μ_c/T) / Σ N_k exp(q·μ_k/T). */
  readonly temperature: number;
  /** τ per level is this quantile of Ŝ over sampled chunks (the quantile rule), when `recallTarget` is 0. */
  readonly quantile: number;
  /**
   * Else τ per level is set so that lookups reach this recall@10 against exact search on calibration
   * queries made from the chunks (calibrationQueries.ts), counting the queries answered from clusters
   * (postings answers are exact); unreachable targets keep every cluster.
   */
  readonly recallTarget: number;
  /** How many calibration queries (more: steadier τ, slower calibration). */
  readonly calibrationQueries: number;
  readonly seed: number;
}

/** Chosen on real chunk vectors (docs/benchmarks.md, `bench:index-search --real`); why: docs/decisions.md "Centroid index". */
export const DEFAULT_CENTROID_SETTINGS: CentroidSettings = {
  minChunks: 2000, fineFraction: 0.05, coarseFraction: 0.05, temperature: 0.05, quantile: 0.7, recallTarget: 0.95, calibrationQueries: 128, seed: 1,
};

/** Lookups are calibrated for this many hits (search asks for 10–24). */
const CALIBRATION_K = 10;

/** A hit's clusters: `fine` is a row of the fine level, `coarse` its parent. */
export interface ClusterRef {
  readonly coarse: number;
  readonly fine: number;
}

export interface RankedRow {
  /** Row of the vector matrix (= chunk index). */
  readonly row: number;
  /** Exact cosine similarity. */
  readonly score: number;
  /** Centroid lookups only. */
  readonly cluster?: ClusterRef;
  /** Ŝ(q, cluster): the estimated attention weight of one member of the hit's fine cluster. */
  readonly mass?: number;
}

export interface LevelExplain {
  /** Clusters of the level. */
  readonly total: number;
  /** Centroids compared with the query (coarse: all; fine: the children of kept coarse clusters). */
  readonly scored: number;
  readonly kept: number;
  /** Threshold τ on Ŝ (0 = keep all). */
  readonly tau: number;
}

export interface QueryExplain {
  readonly mode: 'centroids' | 'exact';
  /** Why exact search ran (mode 'exact'). */
  readonly reason?: string;
  /** Vectors in the index. */
  readonly vectors: number;
  readonly coarse?: LevelExplain;
  readonly fine?: LevelExplain;
  /** Chunk vectors scored exactly. */
  readonly vectorsScored: number;
  /** vectorsScored / vectors. */
  readonly fractionScored: number;
  readonly centroidsScored: number;
  /**
   * Set when the lookup read posting lists (sparse rows, chosen per query; docs/decisions.md): entries read.
   * Every row is then scored exactly; `coarse`/`fine` count the clusters scored for the hits' Ŝ.
   */
  readonly postingsRead?: number;
  readonly temperature?: number;
  readonly ms: number;
}

export interface Ranking {
  readonly rows: RankedRow[];
  readonly explain: QueryExplain;
}

/** The centroid index over the non-zero rows of a vector matrix. */
export class ClusteredSearch {
  readonly index: ClusterIndex;
  /** Rows of the matrix (zero rows are not indexed: they never match). */
  readonly vectors: number;

  constructor(index: ClusterIndex, vectors: number) {
    this.index = index;
    this.vectors = vectors;
  }

  /**
   * k-means both levels, then τ (see `calibrate`). CPU-heavy: tens of seconds per 100,000 rows of 1,024
   * floats, most of it the recall calibration.
   */
  static build(rows: Float32Array, dim: number, s: CentroidSettings = DEFAULT_CENTROID_SETTINGS, calibration?: CalibrationSet): ClusteredSearch {
    const ids = nonZeroRows(rows, dim);
    const index = ClusterIndex.build(packRows(rows, dim, ids), ids, {
      fineFraction: s.fineFraction, coarseFraction: s.coarseFraction, temperature: s.temperature, quantile: s.quantile, seed: s.seed,
    });
    const search = new ClusteredSearch(index, rows.length / dim);
    search.calibrate(s, calibration);
    return search;
  }

  /**
   * τ for recall `s.recallTarget` on the calibration queries, with their source rows held out of the index
   * meanwhile (then put back); by the quantile rule without a target or queries. The target holds for the
   * queries answered from clusters (`scope: 'clusters'`, recallCalibration.ts): postings answers are exact,
   * so real queries reach at least the target whatever share of them the postings take.
   */
  calibrate(s: CentroidSettings, calibration?: CalibrationSet): void {
    if (!(s.recallTarget > 0) || !calibration || calibration.queries.length === 0) {
      this.index.calibrate(undefined, s.quantile);
      return;
    }
    const dim = this.index.dim;
    this.index.withHeldOut(new Set(calibration.sources), () =>
      this.index.calibrateForRecall({ data: calibration.queries, dim }, s.recallTarget, { k: CALIBRATION_K, scope: 'clusters' }));
  }

  /**
   * From stored routing: `itemFine[r]` is row r's fine cluster, −1 for rows to assign to their nearest
   * cluster (new since the routing was made). Zero rows are left out.
   */
  static fromRouting(routing: ClusterRouting, rows: Float32Array, itemFine: Int32Array): ClusteredSearch {
    const ids = nonZeroRows(rows, routing.dim);
    const fine = Int32Array.from(ids, (r) => itemFine[r]!);
    return new ClusteredSearch(ClusterIndex.fromRouting(routing, packRows(rows, routing.dim, ids), ids, fine), rows.length / routing.dim);
  }

  topK(query: Float32Array, k: number): Ranking {
    const t0 = performance.now();
    const { hits, explain: e } = this.index.search(query, k);
    const rows = hits.map((h) => ({ row: h.id, score: h.score, cluster: { coarse: this.index.coarseOf(h.cluster), fine: h.cluster }, mass: h.mass }));
    const th = this.index.thresholds;
    const levels = this.index.levels;
    const explain: QueryExplain = {
      mode: 'centroids', vectors: this.vectors,
      coarse: { total: levels.coarse, scored: e.coarseClusters, kept: e.coarseKept, tau: Math.exp(th.logTauCoarse) },
      fine: { total: levels.fine, scored: e.fineScored, kept: e.fineKept, tau: Math.exp(th.logTauFine) },
      vectorsScored: e.vectorsScored, fractionScored: e.vectorsScored / Math.max(1, this.vectors),
      centroidsScored: e.centroidsScored, temperature: th.temperature, ms: performance.now() - t0,
      ...(e.postingsRead !== undefined ? { postingsRead: e.postingsRead } : {}),
    };
    return { rows, explain };
  }
}

export interface RankOptions {
  readonly k: number;
  readonly dim: number;
  readonly token?: CancellationToken;
  /** Set when the index is large enough for the centroid lookup. */
  readonly centroids?: ClusteredSearch;
  /** Why `centroids` is not set (shown by --explain). */
  readonly exactReason?: string;
}

/** The top-k rows with a positive score, through the centroid index when there is one. */
export async function rankRows(rows: Float32Array, query: Float32Array, o: RankOptions): Promise<Ranking> {
  throwIfCancelled(o.token);
  const n = rows.length / o.dim;
  if (!query.some((v) => v !== 0)) {
    return { rows: [], explain: { mode: 'exact', reason: 'the query has no indexed terms', vectors: n, vectorsScored: 0, fractionScored: 0, centroidsScored: 0, ms: 0 } };
  }
  if (o.centroids) {
    const r = o.centroids.topK(query, o.k);
    return { rows: r.rows.filter((h) => h.score > 0), explain: r.explain };
  }
  const t0 = performance.now();
  const top = await exactTopK(rows, query, { k: o.k, dim: o.dim, ...(o.token ? { token: o.token } : {}) });
  const explain: QueryExplain = {
    mode: 'exact', reason: o.exactReason ?? 'exact search', vectors: n, vectorsScored: n, fractionScored: 1, centroidsScored: 0, ms: performance.now() - t0,
  };
  return { rows: top.filter((t) => t.score > 0).map((t) => ({ row: t.index, score: t.score })), explain };
}

/** Rows whose vector is not all zeros. */
function nonZeroRows(rows: Float32Array, dim: number): Uint32Array {
  const out: number[] = [];
  for (let r = 0; r * dim < rows.length; r++) {
    for (let d = r * dim; d < (r + 1) * dim; d++) {
      if (rows[d] !== 0) {
        out.push(r);
        break;
      }
    }
  }
  return Uint32Array.from(out);
}

/** The given rows packed (the matrix itself when every row is kept). */
function packRows(rows: Float32Array, dim: number, ids: Uint32Array): { data: Float32Array; dim: number } {
  if (ids.length * dim === rows.length) return { data: rows, dim };
  const data = new Float32Array(ids.length * dim);
  ids.forEach((r, j) => data.set(rows.subarray(r * dim, (r + 1) * dim), j * dim));
  return { data, dim };
}
