import { TopKHeap } from '../search/topKHeap.ts';
import { allOf, routeFine, routedMembers, scoreCoarse, type Routing, type SearchExplain, type SearchHit, type SearchScratch, type Thresholds } from './clusterSearch.ts';
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
 * much as this many floats of the SIMD scan. On the 161,684 real chunk vectors postingTopK took 8.7 ns an
 * entry against 0.15 ns a scanned float (56; 93 for queries with few entries, whose touched rows are
 * listed): the score array (4 bytes a row) outgrows the caches and each entry is a random access.
 * Random rows in a 64 MiB matrix (kernelBench `postingTiming`, 16k rows) give 17–26: too optimistic for
 * the indexes where the choice matters.
 */
export const POSTING_COST_FLOATS = 60;

/**
 * Which path answers this query, from costs in scanned floats. The postings cost their entries ×
 * POSTING_COST_FLOATS. The cluster path costs the fine centroids under the kept coarse clusters, then the
 * members of the kept fine ones. Decided in two steps, each comparing only the work still ahead:
 *
 *  1. after the coarse level (cheap; its similarities serve either path): postings when they cost less
 *     than the fine centroids alone, a lower bound of the cluster path;
 *  2. else the fine level is routed (its cost is then spent) and the postings win when they cost less
 *     than scanning the kept members. Broad queries keep many clusters: comparing against the fine level
 *     alone sent them to scans of a large share of the rows, the slowest and least exact lookups.
 *
 * Returns 'postings', or the routing that the cluster path continues from.
 */
export function choosePath(s: ClusterState, p: SparsePostings, q: Float32Array, x: SearchScratch, t: Thresholds & { minItems: number }): 'postings' | Routing {
  const postings = p.cost(q) * POSTING_COST_FLOATS;
  const logZ = scoreCoarse(s, q, x, t.temperature);
  const coarseKept = selectClusters(allOf(s.coarse.rows), {
    sims: x.coarseSims, counts: s.coarseCount, temperature: t.temperature, logZ, logTau: t.logTauCoarse, minItems: t.minItems,
  });
  let fine = 0;
  for (const c of coarseKept) fine += s.coarseFine[c + 1]! - s.coarseFine[c]!;
  if (postings < fine * s.fine.stride) return 'postings';
  const r = routeFine(s, q, x, t, coarseKept);
  return postings < routedMembers(s, r.fineKept) * s.rows.stride ? 'postings' : r;
}

export interface PostingScratch extends SearchScratch {
  /** Sized for the postings' rows on first use. */
  postings?: PostingBuffers;
}

/**
 * Exact top-k of the live rows with a positive score (rows that share no dimension with the query score 0
 * and are never read), through the postings; rows added since they were built are scanned densely.
 */
export function postingSearchState(s: ClusterState, p: SparsePostings, q: Float32Array, x: PostingScratch, o: { k: number; temperature: number; coarseScored?: boolean }): { hits: SearchHit[]; explain: SearchExplain } {
  if (!x.postings || x.postings.acc.length < p.rows) x.postings = postingBuffers(p.rows);
  const top = new TopKHeap(o.k);
  const stats = postingTopK(p, q, top, x.postings, s.rowDead);
  const extra = scanAppended(s, p.rows, q, x, top);
  const found = top.sorted();
  const mass = hitMass(s, q, x, found.map((h) => s.rowFine[h.index]!), o.temperature, o.coarseScored);
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
 * are scored (no routing needed). `coarseScored`: the scratch already holds q's coarse similarities.
 */
export function hitMass(s: ClusterState, q: Float32Array, x: SearchScratch, fines: readonly number[], T: number, coarseScored = false): { values: number[]; coarse: number; fineScored: number } {
  // `choosePath` already left this query's coarse similarities in the scratch.
  const coarseLogZ = coarseScored ? logPartition(x.coarseSims, s.coarseCount, allOf(s.coarse.rows), T) : scoreCoarse(s, q, x, T);
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
