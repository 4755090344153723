import { TopKHeap } from '../search/topKHeap.ts';
import { logMass, logPartition, selectClusters } from './squeezeEstimator.ts';
import type { ClusterState } from './clusterState.ts';

/** Temperature and per-level thresholds (natural log of τ) of the lookup. */
export interface Thresholds {
  readonly temperature: number;
  readonly logTauCoarse: number;
  readonly logTauFine: number;
}

export interface SearchHit {
  readonly id: number;
  /** Exact similarity q·x (unit vectors: cosine). */
  readonly score: number;
  /** Ŝ(q, c) of the item's fine cluster: the estimated attention weight of one of its members. */
  readonly mass: number;
  /** Fine cluster of the item. */
  readonly cluster: number;
}

export interface SearchExplain {
  readonly coarseClusters: number;
  readonly coarseKept: number;
  /** Fine centroids scored (the children of the kept coarse clusters). */
  readonly fineScored: number;
  readonly fineKept: number;
  /** Item vectors scored exactly. */
  readonly vectorsScored: number;
  /** Centroids scored, both levels. */
  readonly centroidsScored: number;
  /** Set when the lookup read posting lists instead of scanning clusters (postingSearch.ts): entries read. */
  readonly postingsRead?: number;
}

/** Reusable buffers sized for one state. */
export interface SearchScratch {
  readonly coarseSims: Float32Array;
  readonly fineSims: Float32Array;
  readonly cands: Int32Array;
  readonly memberSims: Float32Array;
}

export function newScratch(s: ClusterState): SearchScratch {
  let widest = 1;
  for (let f = 0; f < s.fine.rows; f++) widest = Math.max(widest, s.fineRows[f + 1]! - s.fineRows[f]!);
  return {
    coarseSims: new Float32Array(s.coarse.rows),
    fineSims: new Float32Array(s.fine.rows),
    cands: new Int32Array(s.fine.rows),
    memberSims: new Float32Array(widest),
  };
}

/** Similarities to all coarse centroids (into scratch.coarseSims); returns the coarse logZ. */
export function scoreCoarse(s: ClusterState, q: Float32Array, x: SearchScratch, temperature: number): number {
  s.coarse.setQuery(q);
  s.coarse.score(0, s.coarse.rows, x.coarseSims);
  return logPartition(x.coarseSims, s.coarseCount, allOf(s.coarse.rows), temperature);
}

export interface Routing {
  readonly coarseKept: number[];
  readonly fineCands: Int32Array;
  readonly fineLogZ: number;
  readonly fineKept: number[];
}

/** Descends both levels with the estimator and thresholds. */
export function route(s: ClusterState, q: Float32Array, x: SearchScratch, t: Thresholds & { minItems: number }): Routing {
  const coarseLogZ = scoreCoarse(s, q, x, t.temperature);
  const coarseKept = selectClusters(allOf(s.coarse.rows), {
    sims: x.coarseSims, counts: s.coarseCount, temperature: t.temperature, logZ: coarseLogZ, logTau: t.logTauCoarse, minItems: t.minItems,
  });
  return routeFine(s, q, x, t, coarseKept);
}

/** The fine level of `route`, under the coarse clusters already kept. */
export function routeFine(s: ClusterState, q: Float32Array, x: SearchScratch, t: Thresholds & { minItems: number }, coarseKept: number[]): Routing {
  const T = t.temperature;
  const fine = fineCandidates(s, q, coarseKept, x);
  const fineLogZ = logPartition(x.fineSims, s.fineCount, fine, T);
  const fineKept = selectClusters(fine, {
    sims: x.fineSims, counts: s.fineCount, temperature: T, logZ: fineLogZ, logTau: t.logTauFine, minItems: t.minItems,
  });
  return { coarseKept, fineCands: fine, fineLogZ, fineKept };
}

/** Scores the fine centroids under the kept coarse clusters; returns their ids (a view of scratch.cands). */
export function fineCandidates(s: ClusterState, q: Float32Array, coarseKept: readonly number[], x: SearchScratch): Int32Array {
  s.fine.setQuery(q);
  let n = 0;
  for (const c of coarseKept) {
    const a = s.coarseFine[c]!;
    const b = s.coarseFine[c + 1]!;
    s.fine.score(a, b - a, x.fineSims, a);
    for (let f = a; f < b; f++) x.cands[n++] = f;
  }
  return x.cands.subarray(0, n);
}

/** Exact scores of the live members of the given fine clusters (contiguous rows, then extra rows). */
export function scanMembers(s: ClusterState, q: Float32Array, fineKept: readonly number[], x: SearchScratch & { top: TopKHeap }): number {
  s.rows.setQuery(q);
  const sims = x.memberSims;
  let scored = 0;
  for (const f of fineKept) {
    const a = s.fineRows[f]!;
    const len = s.fineRows[f + 1]! - a;
    s.rows.score(a, len, sims);
    scored += len;
    for (let i = 0; i < len; i++) if (!s.rowDead[a + i] && sims[i]! >= x.top.threshold) x.top.push(a + i, sims[i]!);
    for (const r of s.fineExtra.get(f) ?? []) {
      if (s.rowDead[r]) continue;
      s.rows.score(r, 1, sims);
      scored++;
      if (sims[0]! >= x.top.threshold) x.top.push(r, sims[0]!);
    }
  }
  return scored;
}

/** The full lookup: route, scan, top-k hits with their cluster and estimated mass. */
export function searchState(s: ClusterState, q: Float32Array, x: SearchScratch, o: Thresholds & { k: number; minItems: number }): { hits: SearchHit[]; explain: SearchExplain } {
  return searchRouted(s, q, x, o, route(s, q, x, o));
}

/** Members of the kept fine clusters (contiguous rows and extra rows, tombstones included): what the scan reads. */
export function routedMembers(s: ClusterState, fineKept: readonly number[]): number {
  let n = 0;
  for (const f of fineKept) n += s.fineRows[f + 1]! - s.fineRows[f]! + (s.fineExtra.get(f)?.length ?? 0);
  return n;
}

/** The lookup after `route` (whose similarities are still in the scratch): scan, top-k hits with their mass. */
export function searchRouted(s: ClusterState, q: Float32Array, x: SearchScratch, o: Thresholds & { k: number }, r: Routing): { hits: SearchHit[]; explain: SearchExplain } {
  const top = new TopKHeap(o.k);
  const scored = scanMembers(s, q, r.fineKept, { ...x, top });
  const hits = top.sorted().map(({ index: ref, score }) => {
    const f = s.rowFine[ref]!;
    return { id: s.rowIds[ref]!, score, cluster: f, mass: Math.exp(logMass(x.fineSims[f]!, r.fineLogZ, o.temperature)) };
  });
  const explain = {
    coarseClusters: s.coarse.rows, coarseKept: r.coarseKept.length, fineScored: r.fineCands.length,
    fineKept: r.fineKept.length, vectorsScored: scored, centroidsScored: s.coarse.rows + r.fineCands.length,
  };
  return { hits, explain };
}

/** Brute force over every live row (the reference for recall). */
export function exactState(s: ClusterState, q: Float32Array, k: number): SearchHit[] {
  const top = new TopKHeap(k);
  const chunk = new Float32Array(Math.min(65536, Math.max(1, s.rows.rows)));
  s.rows.setQuery(q);
  for (let a = 0; a < s.rows.rows; a += chunk.length) {
    const n = Math.min(chunk.length, s.rows.rows - a);
    s.rows.score(a, n, chunk);
    for (let i = 0; i < n; i++) if (!s.rowDead[a + i] && chunk[i]! >= top.threshold) top.push(a + i, chunk[i]!);
  }
  return top.sorted().map(({ index: ref, score }) => ({ id: s.rowIds[ref]!, score, cluster: s.rowFine[ref]!, mass: NaN }));
}

const ALL_CACHE = new Map<number, Int32Array>();

/** 0..n−1 (cached per n). */
export function allOf(n: number): Int32Array {
  let a = ALL_CACHE.get(n);
  if (!a) {
    a = Int32Array.from({ length: n }, (_, i) => i);
    if (ALL_CACHE.size > 32) ALL_CACHE.clear();
    ALL_CACHE.set(n, a);
  }
  return a;
}
