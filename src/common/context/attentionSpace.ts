/**
 * Attention mass per chunk estimated in the model's own attention space. For a query q and the context-key
 * clusters of its KV head (keyClusters.ts), each cluster's summed exp(logit) is estimated as
 *   M_c = N_c · exp(q·μ_c/√d + ½·|q|²·σ²_c/d),
 * i.e. E[exp(q·k/√d)] for keys spread isotropically (σ²_c per dimension) around μ_c; without the spread term
 * (`spreadCorrection: false`) it is N_c·exp(q·μ_c/√d), which underestimates spread clusters (Jensen).
 * Clusters are scored exactly in order of M_c while their members fit the scoring budget
 * (`maxScoredFraction` of the keys, centroids and the query window's own keys included); every other
 * cluster's M_c is shared among its members. The partition runs over every key the query sees (chunk keys,
 * the rest of the prompt and the window), as exact attention's does; only chunk keys add to chunk masses.
 * Summed over heads and query tokens.
 */
import { dotAt, groupSize, keyOffset, queryOffset, type LayerAttention } from './attentionTypes.ts';
import type { HeadClusters } from './keyClusters.ts';

export interface EstimateOptions {
  /** Dot products per query and head (centroids, exactly scored members, window keys) as a share of the keys exact attention scores (default 0.2). */
  readonly maxScoredFraction?: number;
  /** Add the spread term ½·|q|²·σ²_c/d to the logit of every cluster (default on; see the file comment). */
  readonly spreadCorrection?: boolean;
}

export interface ChunkMassEstimate {
  /** Estimated mass per chunk, summed over heads and query tokens. */
  readonly mass: Float64Array;
  /** Dot products computed (centroids + kept members + window keys) over those exact attention needs. */
  readonly scoredFraction: number;
  readonly centroidFraction: number;
}

interface QueryRef {
  readonly a: LayerAttention;
  /** KV head, query token, offset of the query. */
  readonly g: number;
  readonly j: number;
  readonly qo: number;
  readonly spreadCorrection: boolean;
}

/** log M_c of every cluster (−∞ for empty ones). */
export function clusterLogMass(a: LayerAttention, qo: number, hc: HeadClusters, spreadCorrection: boolean): Float64Array {
  const d = a.headDim;
  const half = spreadCorrection ? (0.5 * dotAt(a.queries, qo, a.queries, qo, d)) / d : 0;
  return Float64Array.from(hc.counts, (n, c) => (n > 0 ? Math.log(n) + dotAt(a.queries, qo, hc.centroids, c * d, d) / Math.sqrt(d) + half * hc.spread[c]! : -Infinity));
}

/** Clusters by descending estimated mass whose members fit in `budget`. */
function keptClusters(logMass: Float64Array, counts: Uint32Array, budget: number): number[] {
  const order = Array.from(logMass.keys()).filter((c) => counts[c]! > 0).sort((x, y) => logMass[y]! - logMass[x]! || x - y);
  const kept: number[] = [];
  let items = 0;
  for (const c of order) {
    if (items + counts[c]! > budget) continue;
    kept.push(c);
    items += counts[c]!;
  }
  return kept;
}

/** Exact logits of the kept clusters' members and of the window keys query `j` sees, as [position, logit]. */
function exactLogits(r: QueryRef, hc: HeadClusters, kept: readonly number[]): [number, number][] {
  const { a, g, qo } = r;
  const d = a.headDim;
  const window = Array.from({ length: r.j + 1 }, (_, i) => a.length - a.queryCount + i);
  const positions = [...kept.flatMap((c) => [...hc.members[c]!]), ...window];
  return positions.map((t) => [t, dotAt(a.queries, qo, a.keys, keyOffset(a, g, t), d) / Math.sqrt(d)]);
}

/** Adds one query's estimated chunk masses to `mass`; returns the keys scored exactly. */
function estimateQuery(r: QueryRef, hc: HeadClusters, budget: number, mass: Float64Array): number {
  const logMass = clusterLogMass(r.a, r.qo, hc, r.spreadCorrection);
  const kept = keptClusters(logMass, hc.counts, budget);
  const keptSet = new Set(kept);
  const rest = Array.from(logMass.keys()).filter((c) => !keptSet.has(c) && hc.counts[c]! > 0);
  const exact = exactLogits(r, hc, kept);
  let max = -Infinity;
  for (const [, l] of exact) max = Math.max(max, l);
  for (const c of rest) max = Math.max(max, logMass[c]!);
  let z = 0;
  for (const [, l] of exact) z += Math.exp(l - max);
  for (const c of rest) z += Math.exp(logMass[c]! - max);
  const logZ = max + Math.log(z);
  for (const [t, l] of exact) if (r.a.chunkOf[t]! >= 0) mass[r.a.chunkOf[t]!]! += Math.exp(l - logZ);
  for (const c of rest) {
    const share = Math.exp(logMass[c]! - logZ) / hc.counts[c]!;
    for (const [chunk, n] of hc.chunkCounts[c]!) mass[chunk]! += n * share;
  }
  return exact.length;
}

export function estimateChunkMass(a: LayerAttention, clusters: readonly HeadClusters[], o: EstimateOptions = {}): ChunkMassEstimate {
  const mass = new Float64Array(a.chunks);
  const group = groupSize(a);
  const keys = clusters[0]?.counts.reduce((s, n) => s + n, 0) ?? 0;
  const centroidsPerQuery = clusters[0]?.counts.length ?? 0;
  const budget = Math.max(0, Math.floor((o.maxScoredFraction ?? 0.2) * keys) - centroidsPerQuery - a.queryCount);
  let scored = 0;
  let centroids = 0;
  let full = 0;
  for (let h = 0; h < a.heads; h++) {
    const g = Math.floor(h / group);
    for (let j = 0; j < a.queryCount; j++) {
      scored += estimateQuery({ a, g, j, qo: queryOffset(a, h, j), spreadCorrection: o.spreadCorrection ?? true }, clusters[g]!, budget, mass);
      centroids += centroidsPerQuery;
      full += a.length - a.queryCount + j + 1;
    }
  }
  return { mass, scoredFraction: full > 0 ? (scored + centroids) / full : 0, centroidFraction: full > 0 ? centroids / full : 0 };
}
