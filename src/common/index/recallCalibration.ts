import { countOf, type PackedVectors } from './kmeans.ts';
import { exactState, searchState, type SearchScratch, type Thresholds } from './clusterSearch.ts';
import { pooledCoarse, pooledFine, queryOf, type QuantileOptions } from './thresholdCalibration.ts';
import { quantileOfSorted } from './vectorMath.ts';
import type { ClusterState } from './clusterState.ts';

/**
 * Recall-targeted thresholds: the sparsest pair of per-level quantiles whose lookups still reach
 * `targetRecall`@k on calibration queries, measured against exact search. First one quantile for both
 * levels (bisection on log(1 − p), where recall is nearly monotone); then a few tighter and looser
 * coarse quantiles, each with its own fine bisection; the pair that scores the fewest vectors
 * (centroids included) wins. A target no quantile in range reaches falls back to keeping every cluster.
 */
export interface RecallTarget extends QuantileOptions {
  readonly targetRecall: number;
  readonly k: number;
  /** Quantile search range (default 0.5 … 0.99999) and bisection steps (default 12). */
  readonly range?: readonly [number, number];
  readonly steps?: number;
  /** Exact top-k ids per query when the caller has them (else computed here by brute force). */
  readonly truth?: readonly (readonly number[])[];
}

export interface RecallCalibration {
  readonly thresholds: Thresholds;
  readonly quantile: number;
  readonly fineQuantile: number;
  /** Mean recall@k on the calibration queries with these thresholds. */
  readonly recall: number;
  /** Mean vectors scored per calibration query, centroids included. */
  readonly scanned: number;
}

/** Coarse levels tried around the joint solution: keep this many times fewer coarse clusters. */
const COARSE_SHRINK = [0.5, 2, 4, 8];

export function calibrateForRecall(s: ClusterState, queries: PackedVectors, x: SearchScratch, o: RecallTarget): RecallCalibration {
  const truth = o.truth ?? Array.from({ length: countOf(queries) }, (_, i) => exactState(s, queryOf(queries, i), o.k).map((h) => h.id));
  const coarsePool = pooledCoarse(s, queries, x, o.temperature);
  const evaluate = (pc: number, pf: number): RecallCalibration => {
    const logTauCoarse = quantileOfSorted(coarsePool, pc);
    const finePool = pooledFine(s, queries, x, { ...o, logTauCoarse });
    const thresholds = { temperature: o.temperature, logTauCoarse, logTauFine: quantileOfSorted(finePool, pf) };
    return { thresholds, quantile: pc, fineQuantile: pf, ...measure(s, { queries, truth, x, thresholds, k: o.k, minItems: o.minItems }) };
  };
  const joint = bisect((p) => evaluate(p, p), o);
  if (joint.recall < o.targetRecall) {
    // Unreachable inside the range: keep every cluster (exact search, recall 1) rather than miss the target.
    const thresholds = { temperature: o.temperature, logTauCoarse: -Infinity, logTauFine: -Infinity };
    return { thresholds, quantile: 0, fineQuantile: 0, ...measure(s, { queries, truth, x, thresholds, k: o.k, minItems: o.minItems }) };
  }
  let best = joint;
  for (const shrink of COARSE_SHRINK) {
    const pc = 1 - (1 - joint.quantile) / shrink;
    const r = bisect((p) => evaluate(pc, p), o);
    if (r.recall >= o.targetRecall && r.scanned < best.scanned) best = r;
  }
  return best;
}

/** The highest p in range whose result reaches the target (the lowest p's result when none does). */
function bisect(evaluate: (p: number) => RecallCalibration, o: RecallTarget): RecallCalibration {
  const [pLo, pHi] = o.range ?? [0.5, 0.99999];
  let lo = evaluate(pLo);
  if (lo.recall < o.targetRecall) return lo;
  const hi = evaluate(pHi);
  if (hi.recall >= o.targetRecall) return hi;
  let [a, b] = [-Math.log(1 - pLo), -Math.log(1 - pHi)];
  for (let i = 0; i < (o.steps ?? 12); i++) {
    const mid = evaluate(1 - Math.exp(-(a + b) / 2));
    if (mid.recall >= o.targetRecall) [lo, a] = [mid, (a + b) / 2];
    else b = (a + b) / 2;
  }
  return lo;
}

interface MeasureArgs {
  readonly queries: PackedVectors;
  readonly truth: readonly (readonly number[])[];
  readonly x: SearchScratch;
  readonly thresholds: Thresholds;
  readonly k: number;
  readonly minItems: number;
}

/** Mean recall@k and mean vectors scored (items + centroids) of lookups with the given thresholds. */
export function measure(s: ClusterState, a: MeasureArgs): { recall: number; scanned: number } {
  let total = 0;
  let scanned = 0;
  for (let i = 0; i < a.truth.length; i++) {
    const r = searchState(s, queryOf(a.queries, i), a.x, { ...a.thresholds, k: a.k, minItems: a.minItems });
    scanned += r.explain.vectorsScored + r.explain.centroidsScored;
    const want = new Set(a.truth[i]);
    total += want.size === 0 ? 1 : r.hits.filter((h) => want.has(h.id)).length / want.size;
  }
  const n = Math.max(1, a.truth.length);
  return { recall: a.truth.length > 0 ? total / n : 1, scanned: scanned / n };
}
