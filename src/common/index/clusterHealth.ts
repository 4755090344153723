import { driftOf, type ClusterBaseline, type ClusterState } from './clusterState.ts';
import { imbalance } from './vectorMath.ts';

/** How far the index has moved from its last clustering. */
export interface IndexHealth {
  readonly items: number;
  readonly deadRows: number;
  /** Rows added since the last layout (outside the contiguous cluster blocks). */
  readonly extraRows: number;
  readonly coarseClusters: number;
  readonly fineClusters: number;
  /** k·Σn²/(Σn)² of the live cluster sizes (1 = perfectly balanced). */
  readonly fineImbalance: number;
  readonly coarseImbalance: number;
  /** Member-weighted mean and max over fine clusters of 1 − cos(member mean, centroid). */
  readonly meanDrift: number;
  readonly maxDrift: number;
  readonly baseline: ClusterBaseline;
}

/** Bounds for `adviseRecluster`; every one is an option of the index. */
export interface ReclusterBounds {
  /** Compact when tombstones exceed this fraction of rows. Default 0.2. */
  readonly maxDeadFraction: number;
  /** Compact when extra rows exceed this fraction of live items. Default 0.2. */
  readonly maxExtraFraction: number;
  /** Re-cluster a level when its imbalance exceeds the baseline by this factor. Default 1.5. */
  readonly maxImbalanceGrowth: number;
  /** Re-cluster the fine level when the mean drift exceeds this. Default 0.05. */
  readonly maxMeanDrift: number;
  /** Re-cluster both levels when the item count changed by more than this factor (the k ≈ 5%·n rule). Default 2. */
  readonly maxSizeChange: number;
}

export const DEFAULT_RECLUSTER_BOUNDS: ReclusterBounds = {
  maxDeadFraction: 0.2, maxExtraFraction: 0.2, maxImbalanceGrowth: 1.5, maxMeanDrift: 0.05, maxSizeChange: 2,
};

export interface ReclusterAdvice {
  readonly compact: boolean;
  readonly fine: boolean;
  readonly coarse: boolean;
  readonly reasons: string[];
}

export function measureHealth(s: ClusterState): IndexHealth {
  let weighted = 0;
  let maxDrift = 0;
  for (let f = 0; f < s.fine.rows; f++) {
    const sum = s.touchedSums.get(f);
    const d = sum ? driftOf(sum, s.fine.row(f)) : s.fineDrift[f]!;
    weighted += d * s.fineCount[f]!;
    if (s.fineCount[f]! > 0) maxDrift = Math.max(maxDrift, d);
  }
  return {
    items: s.live, deadRows: s.dead, extraRows: s.rows.rows - s.mainRows,
    coarseClusters: s.coarse.rows, fineClusters: s.fine.rows,
    fineImbalance: imbalance(s.fineCount), coarseImbalance: imbalance(s.coarseCount),
    meanDrift: s.live > 0 ? weighted / s.live : 0, maxDrift, baseline: s.baseline,
  };
}

export function adviseRecluster(h: IndexHealth, b: ReclusterBounds): ReclusterAdvice {
  const reasons: string[] = [];
  const rows = h.items + h.deadRows;
  const compact = (rows > 0 && h.deadRows / rows > b.maxDeadFraction) || (h.items > 0 && h.extraRows / h.items > b.maxExtraFraction);
  if (compact) reasons.push('TOMBSTONES_OR_EXTRA_ROWS');
  const change = h.baseline.items > 0 ? h.items / h.baseline.items : Infinity;
  const resized = change > b.maxSizeChange || change < 1 / b.maxSizeChange;
  if (resized) reasons.push('SIZE_CHANGED');
  const fineSkew = h.fineImbalance > h.baseline.fineImbalance * b.maxImbalanceGrowth;
  if (fineSkew) reasons.push('FINE_IMBALANCE');
  const drift = h.meanDrift > b.maxMeanDrift;
  if (drift) reasons.push('FINE_DRIFT');
  const coarseSkew = h.coarseImbalance > h.baseline.coarseImbalance * b.maxImbalanceGrowth;
  if (coarseSkew) reasons.push('COARSE_IMBALANCE');
  return { compact, fine: resized || fineSkew || drift, coarse: resized || coarseSkew, reasons };
}
