import { countOf, type PackedVectors } from './kmeans.ts';
import { fineCandidates, scoreCoarse, type SearchScratch, type Thresholds } from './clusterSearch.ts';
import { logMass, logPartition, selectClusters } from './squeezeEstimator.ts';
import { quantileOfSorted } from './vectorMath.ts';
import type { ClusterState } from './clusterState.ts';

/**
 * Global thresholds from calibration queries. As in Squeezed Attention, τ is a quantile of the estimated
 * per-member attention Ŝ(q,c) pooled over (query, cluster) pairs: quantile p keeps on average the top
 * 1 − p of the clusters a level considers. The coarse τ comes first; the fine τ is then taken over the
 * fine children of each query's coarse survivors, with Ŝ re-normalised over them (as at lookup).
 */
export interface QuantileOptions {
  readonly quantile: number;
  /** A different quantile for the fine level (default: `quantile`). */
  readonly fineQuantile?: number;
  readonly temperature: number;
  /** Lookup keeps at least this many members per level (see selectClusters). */
  readonly minItems: number;
}

export function calibrateQuantile(s: ClusterState, queries: PackedVectors, x: SearchScratch, o: QuantileOptions): Thresholds {
  const coarsePool = pooledCoarse(s, queries, x, o.temperature);
  const logTauCoarse = quantileOfSorted(coarsePool, o.quantile);
  const finePool = pooledFine(s, queries, x, { ...o, logTauCoarse });
  return { temperature: o.temperature, logTauCoarse, logTauFine: quantileOfSorted(finePool, o.fineQuantile ?? o.quantile) };
}

/** Sorted log Ŝ of every non-empty coarse cluster for every query. */
export function pooledCoarse(s: ClusterState, queries: PackedVectors, x: SearchScratch, T: number): Float64Array {
  const pool: number[] = [];
  for (let i = 0; i < countOf(queries); i++) {
    const logZ = scoreCoarse(s, queryOf(queries, i), x, T);
    for (let c = 0; c < s.coarse.rows; c++) if (s.coarseCount[c]! > 0) pool.push(logMass(x.coarseSims[c]!, logZ, T));
  }
  return Float64Array.from(pool).sort();
}

/** Sorted log Ŝ of every non-empty fine candidate under the coarse survivors, for every query. */
export function pooledFine(s: ClusterState, queries: PackedVectors, x: SearchScratch, o: QuantileOptions & { logTauCoarse: number }): Float64Array {
  const pool: number[] = [];
  const T = o.temperature;
  for (let i = 0; i < countOf(queries); i++) {
    const q = queryOf(queries, i);
    const logZ = scoreCoarse(s, q, x, T);
    const kept = selectClusters(allCoarse(s), {
      sims: x.coarseSims, counts: s.coarseCount, temperature: T, logZ, logTau: o.logTauCoarse, minItems: o.minItems,
    });
    const cands = fineCandidates(s, q, kept, x);
    const fineLogZ = logPartition(x.fineSims, s.fineCount, cands, T);
    for (const f of cands) if (s.fineCount[f]! > 0) pool.push(logMass(x.fineSims[f]!, fineLogZ, T));
  }
  return Float64Array.from(pool).sort();
}

export function queryOf(queries: PackedVectors, i: number): Float32Array {
  return queries.data.subarray(i * queries.dim, (i + 1) * queries.dim);
}

function allCoarse(s: ClusterState): Int32Array {
  return Int32Array.from({ length: s.coarse.rows }, (_, i) => i);
}
