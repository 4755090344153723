/**
 * Attention mass per chunk estimated in the model's own attention space, with the index's squeezed-attention
 * estimator: for a query q and the chunk-key clusters of its KV head, s_c = q·μ_c/√d and
 * Ŝ(q,c) = exp(s_c) / Σ_k N_k exp(s_k). Clusters are kept in order of Ŝ while their members fit the scoring
 * budget (`maxScoredFraction` of the chunk keys, centroids included: the threshold τ(q) is the Ŝ of the last
 * cluster kept); kept members are scored exactly, every other member gets its cluster's Ŝ, and the masses are
 * normalised over both. Summed over heads and query tokens.
 */
import { logPartition } from '../index/squeezeEstimator.ts';
import { dotAt, groupSize, keyOffset, queryOffset, type LayerAttention } from './attentionTypes.ts';
import type { HeadClusters } from './keyClusters.ts';

export interface EstimateOptions {
  /** Dot products per query and head, centroids and exactly scored members together, as a share of the chunk keys (default 0.2). */
  readonly maxScoredFraction?: number;
  /**
   * Clusters not scored exactly: add the spread term ½·|q|²·σ²_c/d to their logit (σ²_c = the cluster's
   * `spread`), i.e. E[exp(q·k/√d)] for keys spread isotropically around μ_c instead of exp(q·μ_c/√d), which
   * underestimates spread clusters (Jensen). Off by default: the index's estimator has no such term.
   */
  readonly spreadCorrection?: boolean;
}

export interface ChunkMassEstimate {
  /** Estimated mass per chunk, summed over heads and query tokens. */
  readonly mass: Float64Array;
  /** Dot products computed (centroids + kept members) over those exact attention needs (every chunk key). */
  readonly scoredFraction: number;
  readonly centroidFraction: number;
}

/** Clusters by descending centroid logit (the order of Ŝ) whose members fit in `budget`. */
function keptClusters(sims: Float32Array, counts: Uint32Array, budget: number): number[] {
  const order = Array.from(sims.keys()).filter((c) => counts[c]! > 0).sort((x, y) => sims[y]! - sims[x]! || x - y);
  const kept: number[] = [];
  let items = 0;
  for (const c of order) {
    if (items + counts[c]! > budget) continue;
    kept.push(c);
    items += counts[c]!;
  }
  return kept;
}

interface QueryRef {
  readonly a: LayerAttention;
  readonly g: number;
  readonly qo: number;
  readonly spreadCorrection: boolean;
}

/** Centroid logits ×√d with the spread term added for the clusters in `rest` (see `spreadCorrection`). */
function restLogits(r: QueryRef, hc: HeadClusters, sims: Float32Array, rest: readonly number[]): Float32Array {
  if (!r.spreadCorrection) return sims;
  const d = r.a.headDim;
  const q2 = dotAt(r.a.queries, r.qo, r.a.queries, r.qo, d);
  const out = Float32Array.from(sims);
  for (const c of rest) out[c] = sims[c]! + (0.5 * q2 * hc.spread[c]!) / Math.sqrt(d);
  return out;
}

/** Adds one query's estimated chunk masses to `mass`; returns the members scored exactly. */
function estimateQuery(r: QueryRef, hc: HeadClusters, budget: number, mass: Float64Array): number {
  const { a, g, qo } = r;
  const d = a.headDim;
  const temperature = Math.sqrt(d);
  const k = hc.counts.length;
  const sims = new Float32Array(k);
  for (let c = 0; c < k; c++) sims[c] = dotAt(a.queries, qo, hc.centroids, c * d, d);
  const kept = keptClusters(sims, hc.counts, budget);
  const keptSet = new Set(kept);
  const rest = Array.from(sims.keys()).filter((c) => !keptSet.has(c));
  const exact = kept.flatMap((c) => [...hc.members[c]!].map((t) => ({ t, l: dotAt(a.queries, qo, a.keys, keyOffset(a, g, t), d) / temperature })));
  const restSims = restLogits(r, hc, sims, rest);
  const logRest = logPartition(restSims, hc.counts, rest, temperature);
  let max = logRest;
  for (const e of exact) if (e.l > max) max = e.l;
  let z = Math.exp(logRest - max);
  for (const e of exact) z += Math.exp(e.l - max);
  const logZ = max + Math.log(z);
  for (const e of exact) mass[a.chunkOf[e.t]!]! += Math.exp(e.l - logZ);
  for (const c of rest) for (const [chunk, n] of hc.chunkCounts[c]!) mass[chunk]! += n * Math.exp(restSims[c]! / temperature - logZ);
  return exact.length;
}

export function estimateChunkMass(a: LayerAttention, clusters: readonly HeadClusters[], o: EstimateOptions = {}): ChunkMassEstimate {
  const mass = new Float64Array(a.chunks);
  const group = groupSize(a);
  const keys = clusters[0]?.counts.reduce((s, n) => s + n, 0) ?? 0;
  const budget = Math.max(0, Math.floor((o.maxScoredFraction ?? 0.2) * keys) - (clusters[0]?.counts.length ?? 0));
  let members = 0;
  let centroids = 0;
  for (let h = 0; h < a.heads; h++) {
    const g = Math.floor(h / group);
    for (let j = 0; j < a.queryCount; j++) {
      members += estimateQuery({ a, g, qo: queryOffset(a, h, j), spreadCorrection: o.spreadCorrection ?? false }, clusters[g]!, budget, mass);
      centroids += clusters[g]!.counts.length;
    }
  }
  const full = a.heads * a.queryCount * keys;
  return { mass, scoredFraction: full > 0 ? (members + centroids) / full : 0, centroidFraction: full > 0 ? centroids / full : 0 };
}
