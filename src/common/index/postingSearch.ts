import { TopKHeap } from '../search/topKHeap.ts';
import { allOf, scoreCoarse, type SearchExplain, type SearchHit, type SearchScratch, type Thresholds } from './clusterSearch.ts';
import { logMass, logPartition, selectClusters } from './squeezeEstimator.ts';
import type { ClusterState } from './clusterState.ts';
import type { SparsePostings } from './sparsePostings.ts';
import { postingBuffers, postingTopK, type PostingBuffers } from './postingTopK.ts';

/**
 * The lookup over posting lists (sparse rows): every live row is scored exactly, so recall is that of
 * exact search, at the cost of the postings of the query's non-zero dimensions. Chosen per query by
 * `preferPostings`; hits carry the same two-level estimate Ŝ as the cluster path (see `hitMass`).
 */

/**
 * One posting entry (a 4-byte ref, a 4-byte value, a scatter-add into the score array) costs about as
 * much as this many floats of the SIMD scan: kernelBench's `postingTiming` measured 17–21 (2.5–2.8 ns
 * per entry against 0.13–0.15 ns per scanned float, 1,024-d and 384-d, 2026-11-24).
 */
export const POSTING_COST_FLOATS = 18;

/**
 * True when the postings cost less than a lower bound of the cluster path: scoring the fine centroids
 * under the coarse survivors (that path then also scans member rows). Coarse scoring is cheap (a few
 * hundred centroids) and its similarities are reused by either path.
 */
export function preferPostings(s: ClusterState, p: SparsePostings, q: Float32Array, x: SearchScratch, t: Thresholds & { minItems: number }): boolean {
  const postings = p.cost(q) * POSTING_COST_FLOATS;
  const logZ = scoreCoarse(s, q, x, t.temperature);
  const kept = selectClusters(allOf(s.coarse.rows), {
    sims: x.coarseSims, counts: s.coarseCount, temperature: t.temperature, logZ, logTau: t.logTauCoarse, minItems: t.minItems,
  });
  let fine = 0;
  for (const c of kept) fine += s.coarseFine[c + 1]! - s.coarseFine[c]!;
  return postings < fine * s.fine.stride;
}

export interface PostingScratch extends SearchScratch {
  /** Sized for the postings' rows on first use. */
  postings?: PostingBuffers;
}

/**
 * Exact top-k of the live rows with a positive score (rows that share no dimension with the query score 0
 * and are never read), through the postings; rows added since they were built are scanned densely.
 */
export function postingSearchState(s: ClusterState, p: SparsePostings, q: Float32Array, x: PostingScratch, o: { k: number; temperature: number }): { hits: SearchHit[]; explain: SearchExplain } {
  if (!x.postings || x.postings.acc.length < p.rows) x.postings = postingBuffers(p.rows);
  const top = new TopKHeap(o.k);
  const stats = postingTopK(p, s.rows, q, top, x.postings, s.rowDead);
  const extra = scanAppended(s, p.rows, q, x, top);
  const found = top.sorted();
  const mass = hitMass(s, q, x, found.map((h) => s.rowFine[h.index]!), o.temperature);
  const hits = found.map(({ index: ref, score }, i) => ({ id: s.rowIds[ref]!, score, cluster: s.rowFine[ref]!, mass: mass.values[i]! }));
  const explain: SearchExplain = {
    coarseClusters: s.coarse.rows, coarseKept: mass.coarse, fineScored: mass.fineScored, fineKept: new Set(hits.map((h) => h.cluster)).size,
    vectorsScored: stats.touched + extra, centroidsScored: s.coarse.rows + mass.fineScored, postingsRead: stats.postingsRead,
  };
  return { hits, explain };
}

/** Dense scores of the live rows from `from` on (added after the postings were built); returns how many. */
function scanAppended(s: ClusterState, from: number, q: Float32Array, x: SearchScratch, top: TopKHeap): number {
  if (from >= s.rows.rows) return 0;
  s.rows.setQuery(q);
  const sims = x.memberSims;
  let scored = 0;
  for (let a = from; a < s.rows.rows; a += sims.length) {
    const n = Math.min(sims.length, s.rows.rows - a);
    s.rows.score(a, n, sims);
    for (let i = 0; i < n; i++) {
      if (s.rowDead[a + i]) continue;
      scored++;
      if (sims[i]! > 0 && sims[i]! >= top.threshold) top.push(a + i, sims[i]!);
    }
  }
  return scored;
}

/**
 * Ŝ for members of the given fine clusters, as the two-level estimate in hierarchical form: the coarse
 * level over all coarse clusters, then the fine level re-normalised within the hit's coarse cluster,
 *
 *   Ŝ(q, f) = N_c Ŝ_coarse(q, c) · exp(s_f) / Σ_{f' ∈ c} N_f' exp(s_f')      (c = parent of f),
 *
 * so that, as in the cluster path, Σ_f N_f Ŝ(q, f) = 1. Only the children of the hits' coarse clusters
 * are scored (no routing needed).
 */
export function hitMass(s: ClusterState, q: Float32Array, x: SearchScratch, fines: readonly number[], T: number): { values: number[]; coarse: number; fineScored: number } {
  const coarseLogZ = scoreCoarse(s, q, x, T);
  const withinLogZ = new Map<number, number>();
  s.fine.setQuery(q);
  let fineScored = 0;
  for (const f of fines) {
    const c = s.fineParent[f]!;
    if (withinLogZ.has(c)) continue;
    const a = s.coarseFine[c]!;
    const b = s.coarseFine[c + 1]!;
    s.fine.score(a, b - a, x.fineSims, a);
    fineScored += b - a;
    withinLogZ.set(c, logPartition(x.fineSims, s.fineCount, Int32Array.from({ length: b - a }, (_, i) => a + i), T));
  }
  const values = fines.map((f) => {
    const c = s.fineParent[f]!;
    const log = logMass(x.coarseSims[c]!, coarseLogZ, T) + Math.log(s.coarseCount[c]!) + x.fineSims[f]! / T - withinLogZ.get(c)!;
    return Math.exp(log);
  });
  return { values, coarse: withinLogZ.size, fineScored };
}
