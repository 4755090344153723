import { countOf, type PackedVectors } from './kmeans.ts';
import { exactState, searchState, type SearchExplain, type SearchScratch, type Thresholds } from './clusterSearch.ts';
import { pooledCoarse, pooledFine, queryOf, type QuantileOptions } from './thresholdCalibration.ts';
import { quantileOfSorted } from './vectorMath.ts';
import type { ClusterState } from './clusterState.ts';
import { POSTING_COST_FLOATS } from './postingSearch.ts';

/**
 * Recall-targeted thresholds: the sparsest pair of per-level quantiles whose lookups still reach
 * `targetRecall`@k on calibration queries, measured against exact search. First one quantile for both
 * levels (bisection on log(1 − p), where recall is nearly monotone); then a few tighter and looser
 * coarse quantiles, each with its own fine bisection; the pair that scores the fewest vectors
 * (centroids included) wins. A target no quantile in range reaches falls back to keeping every cluster.
 * The range starts at p = 0 (keep every cluster): on sparse hashed vectors of templated code the target
 * can need p well below 0.5, and a range starting at 0.5 then fell back to scanning everything.
 */
export interface RecallTarget extends QuantileOptions {
  readonly targetRecall: number;
  readonly k: number;
  /** Quantile search range (default 0 … 0.99999) and bisection steps (default 12). */
  readonly range?: readonly [number, number];
  readonly steps?: number;
  /** Exact top-k ids per query when the caller has them (else computed here by brute force). */
  readonly truth?: readonly (readonly number[])[];
  /**
   * The lookup whose recall is measured (default: the cluster path, `searchState`). An index that answers
   * some queries from posting lists passes its per-query choice, so τ is set for the recall of that mix.
   */
  readonly lookup?: Lookup;
  /** Whose recall must reach the target (default 'all'; see RecallScope). */
  readonly scope?: RecallScope;
}

/**
 * 'all': the mean recall over every calibration query. 'clusters': over the queries the lookup answers
 * from clusters only; queries answered from posting lists are exact whatever τ is and tell nothing about
 * it. On a mix the recall is then at least the target, more the larger the share answered from postings;
 * a mean over all queries instead lets τ drop the cluster path's recall to make up for the exact share,
 * and real queries that take the cluster path more often than the calibration queries did miss the target.
 */
export type RecallScope = 'all' | 'clusters';

/** One lookup with the given thresholds. */
export type Lookup = (q: Float32Array, o: Thresholds & { k: number; minItems: number }) => { hits: readonly { readonly score: number }[]; explain: SearchExplain };

export interface RecallCalibration {
  readonly thresholds: Thresholds;
  readonly quantile: number;
  readonly fineQuantile: number;
  /** Mean recall@k on the calibration queries with these thresholds. */
  readonly recall: number;
  /** Mean work per calibration query in scanned vectors, centroids included (`lookupWork`). */
  readonly scanned: number;
}

/**
 * Bumped when the recall calibration rule changes, so that stored thresholds are calibrated again.
 * 2: tie-aware recall and a quantile range from 0 (1 counted exact ids, from 0.5, and fell back to τ = 0).
 * 3: search measures the recall of cluster-path answers only (RecallScope 'clusters'), lookups choose their
 *    path after routing the fine level, and the cheapest pair is chosen by work (`lookupWork`).
 */
export const RECALL_CALIBRATION_VERSION = 3;

/** From keeping every cluster to keeping the top 0.001% of (query, cluster) pairs. */
const DEFAULT_RANGE = [0, 0.99999] as const;

/** Coarse levels tried around the joint solution: keep this many times fewer coarse clusters. */
const COARSE_SHRINK = [0.5, 2, 4, 8];

export function calibrateForRecall(s: ClusterState, queries: PackedVectors, x: SearchScratch, o: RecallTarget): RecallCalibration {
  const ids = o.truth ?? Array.from({ length: countOf(queries) }, (_, i) => exactState(s, queryOf(queries, i), o.k).map((h) => h.id));
  const truth = tieAwareTruth(s, queries, ids);
  const coarsePool = pooledCoarse(s, queries, x, o.temperature);
  const common = { queries, truth, x, k: o.k, minItems: o.minItems, ...(o.lookup ? { lookup: o.lookup } : {}), ...(o.scope ? { scope: o.scope } : {}) };
  const evaluate = (pc: number, pf: number): RecallCalibration => {
    const logTauCoarse = quantileOfSorted(coarsePool, pc);
    const finePool = pooledFine(s, queries, x, { ...o, logTauCoarse });
    const thresholds = { temperature: o.temperature, logTauCoarse, logTauFine: quantileOfSorted(finePool, pf) };
    return { thresholds, quantile: pc, fineQuantile: pf, ...measure(s, { ...common, thresholds }) };
  };
  const joint = bisect((p) => evaluate(p, p), o);
  if (joint.recall < o.targetRecall) {
    // Unreachable inside the range: keep every cluster (exact search, recall 1) rather than miss the target.
    const thresholds = { temperature: o.temperature, logTauCoarse: -Infinity, logTauFine: -Infinity };
    return { thresholds, quantile: 0, fineQuantile: 0, ...measure(s, { ...common, thresholds }) };
  }
  let best = joint;
  for (const shrink of COARSE_SHRINK) {
    const pc = Math.max(0, 1 - (1 - joint.quantile) / shrink);
    const r = bisect((p) => evaluate(pc, p), o);
    if (r.recall >= o.targetRecall && r.scanned < best.scanned) best = r;
  }
  return best;
}

/**
 * The highest p in range whose result reaches the target (the lowest p's result when none does). The
 * lowest p is evaluated last and only when no higher one reached the target: near p = 0 a lookup scans
 * almost everything, the most expensive evaluation of all.
 */
function bisect(evaluate: (p: number) => RecallCalibration, o: RecallTarget): RecallCalibration {
  const [pLo, pHi] = o.range ?? DEFAULT_RANGE;
  const hi = evaluate(pHi);
  if (hi.recall >= o.targetRecall) return hi;
  let best: RecallCalibration | undefined;
  let [a, b] = [-Math.log(1 - pLo), -Math.log(1 - pHi)];
  for (let i = 0; i < (o.steps ?? 12); i++) {
    const mid = evaluate(1 - Math.exp(-(a + b) / 2));
    if (mid.recall >= o.targetRecall) [best, a] = [mid, (a + b) / 2];
    else b = (a + b) / 2;
  }
  return best ?? evaluate(pLo);
}

/**
 * What a lookup must return for one query: `count` hits scoring at least `kth` (the k-th positive exact
 * score, less float noise). Duplicate and equal-scoring rows make "the" exact top-k ambiguous; a hit that
 * ties the k-th exact score is as good as the one exact search happened to pick. Rows scoring 0 or less
 * are never needed (short queries match few rows).
 */
export interface TruthBar {
  readonly count: number;
  readonly kth: number;
}

/** Score slack for ties: equal rows can differ in the last float bits between kernels. */
const TIE_EPSILON = 1e-5;

/** The bar of each query from its exact top-k ids (ids no longer in the index are skipped). */
export function tieAwareTruth(s: ClusterState, queries: PackedVectors, truth: readonly (readonly number[])[]): TruthBar[] {
  return truth.map((ids, i) => {
    const q = queryOf(queries, i);
    const scores: number[] = [];
    for (const id of ids) {
      const r = s.where.get(id);
      if (r === undefined) continue;
      const row = s.rows.row(r);
      let dot = 0;
      for (let d = 0; d < s.dim; d++) dot += q[d]! * row[d]!;
      if (dot > TIE_EPSILON) scores.push(dot);
    }
    return scores.length === 0 ? { count: 0, kth: Infinity } : { count: scores.length, kth: Math.min(...scores) - TIE_EPSILON };
  });
}

/** Recall of one lookup against its bar: hits reaching the k-th exact score, over the hits needed. */
export function tieAwareRecall(hits: readonly { readonly score: number }[], bar: TruthBar): number {
  if (bar.count === 0) return 1;
  let good = 0;
  for (const h of hits) if (h.score >= bar.kth) good++;
  return Math.min(good, bar.count) / bar.count;
}

interface MeasureArgs {
  readonly queries: PackedVectors;
  readonly truth: readonly TruthBar[];
  readonly x: SearchScratch;
  readonly thresholds: Thresholds;
  readonly k: number;
  readonly minItems: number;
  readonly lookup?: Lookup;
  readonly scope?: RecallScope;
}

/**
 * The work of one lookup in scanned vectors: items and centroids scored, or for a postings lookup its
 * centroids and its entries at POSTING_COST_FLOATS / dim vectors each (the rows it touched are not
 * scanned: counting them would make the cheapest lookups of broad queries look like full scans).
 */
export function lookupWork(e: SearchExplain, dim: number): number {
  return e.postingsRead === undefined ? e.vectorsScored + e.centroidsScored : (e.postingsRead * POSTING_COST_FLOATS) / dim + e.centroidsScored;
}

/**
 * Mean tie-aware recall@k (over the queries of `scope`; 1 when there are none) and mean work per query
 * (`lookupWork`, every query) of lookups with the given thresholds.
 */
export function measure(s: ClusterState, a: MeasureArgs): { recall: number; scanned: number } {
  let total = 0;
  let counted = 0;
  let scanned = 0;
  for (let i = 0; i < a.truth.length; i++) {
    const o = { ...a.thresholds, k: a.k, minItems: a.minItems };
    const r = a.lookup ? a.lookup(queryOf(a.queries, i), o) : searchState(s, queryOf(a.queries, i), a.x, o);
    scanned += lookupWork(r.explain, s.dim);
    if (a.scope === 'clusters' && r.explain.postingsRead !== undefined) continue;
    total += tieAwareRecall(r.hits, a.truth[i]!);
    counted++;
  }
  return { recall: counted > 0 ? total / counted : 1, scanned: scanned / Math.max(1, a.truth.length) };
}
