import { RowMatrix } from './rowMatrix.ts';
import { countOf, type PackedVectors } from './kmeans.ts';
import { imbalance } from './vectorMath.ts';

/** Imbalance and size at the last (re)clustering: the baseline that `needsRecluster` compares with. */
export interface ClusterBaseline {
  readonly items: number;
  readonly fineImbalance: number;
  readonly coarseImbalance: number;
}

/**
 * The index data. Fine clusters are numbered so that the children of coarse c are the contiguous range
 * [coarseFine[c], coarseFine[c+1]); the rows of fine f are the contiguous range [fineRows[f],
 * fineRows[f+1]) of `rows` (cluster order, "main" rows). Items added later are appended after
 * `mainRows` ("extra" rows) and listed per cluster in `fineExtra`; removed rows are tombstoned in
 * `rowDead`. `compact` (a new layout) folds both back into the contiguous form.
 */
export interface ClusterState {
  readonly dim: number;
  readonly coarse: RowMatrix;
  readonly coarseFine: Uint32Array;
  readonly coarseCount: Uint32Array;
  readonly fine: RowMatrix;
  readonly fineParent: Uint32Array;
  readonly fineRows: Uint32Array;
  readonly fineCount: Uint32Array;
  /** 1 − cos(member sum, centroid) per fine cluster at layout time. */
  readonly fineDrift: Float32Array;
  readonly rows: RowMatrix;
  readonly mainRows: number;
  rowIds: Uint32Array;
  rowFine: Int32Array;
  rowDead: Uint8Array;
  readonly fineExtra: Map<number, number[]>;
  /** Item id → row. */
  readonly where: Map<number, number>;
  /** Current member sums of the fine clusters touched since the layout (for drift). */
  readonly touchedSums: Map<number, Float64Array>;
  live: number;
  dead: number;
  readonly baseline: ClusterBaseline;
}

export interface LayoutInput {
  /** Unit item vectors, in any order. */
  readonly points: PackedVectors;
  readonly ids: ArrayLike<number>;
  /** Fine cluster (row of `fine`) of each item. */
  readonly itemFine: Int32Array;
  readonly fine: RowMatrix;
  readonly fineParent: Int32Array;
  readonly coarse: RowMatrix;
  /** Keep this baseline (compaction) instead of measuring a new one (clustering). */
  readonly baseline?: ClusterBaseline;
  /** Centroids are the means of exactly these members (fresh clustering): drift is 0, skip measuring it. */
  readonly fresh?: boolean;
}

/** Builds the contiguous layout: fine clusters grouped by parent, items grouped by fine cluster. */
export function layoutState(input: LayoutInput): ClusterState {
  const { points, fine, coarse } = input;
  const n = countOf(points);
  const fineOrder = countingOrder(input.fineParent, coarse.rows);
  const newFine = new Int32Array(fine.rows);
  fineOrder.order.forEach((old, i) => (newFine[old] = i));
  const itemFine = Int32Array.from(input.itemFine, (f) => newFine[f]!);
  const items = countingOrder(itemFine, fine.rows);
  const rows = new RowMatrix(points.dim, n, fine.backend);
  rows.resize(n);
  const rowIds = new Uint32Array(Math.max(16, n));
  const rowFine = new Int32Array(Math.max(16, n));
  const where = new Map<number, number>();
  items.order.forEach((item, r) => {
    rows.setRow(r, points.data, item * points.dim);
    rowIds[r] = input.ids[item]!;
    rowFine[r] = itemFine[item]!;
    if (where.has(rowIds[r]!)) throw new Error(`duplicate item id ${rowIds[r]}`);
    where.set(rowIds[r]!, r);
  });
  const fineRows = items.offsets;
  const fineCount = Uint32Array.from({ length: fine.rows }, (_, f) => fineRows[f + 1]! - fineRows[f]!);
  const coarseFine = fineOrder.offsets;
  const coarseCount = Uint32Array.from({ length: coarse.rows }, (_, c) => sumRange(fineCount, coarseFine[c]!, coarseFine[c + 1]!));
  const fineSorted = new RowMatrix(fine.dim, fine.rows, fine.backend);
  for (const old of fineOrder.order) fineSorted.append(fine.row(old));
  return {
    dim: points.dim, coarse, coarseFine, coarseCount, fine: fineSorted,
    fineParent: Uint32Array.from(fineOrder.order, (old) => input.fineParent[old]!),
    fineRows, fineCount, fineDrift: input.fresh ? new Float32Array(fine.rows) : layoutDrift(rows, fineSorted, fineRows), rows, mainRows: n,
    rowIds, rowFine, rowDead: new Uint8Array(rowIds.length), fineExtra: new Map(), where, touchedSums: new Map(),
    live: n, dead: 0,
    baseline: input.baseline ?? { items: n, fineImbalance: imbalance(fineCount), coarseImbalance: imbalance(coarseCount) },
  };
}

/** Stable counting sort of indices by key: `order` lists indices, `offsets` (k+1) delimits each key. */
export function countingOrder(keys: ArrayLike<number>, k: number): { order: Uint32Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(k + 1);
  for (let i = 0; i < keys.length; i++) offsets[keys[i]! + 1]!++;
  for (let c = 0; c < k; c++) offsets[c + 1]! += offsets[c]!;
  const fill = offsets.slice(0, k);
  const order = new Uint32Array(keys.length);
  for (let i = 0; i < keys.length; i++) order[fill[keys[i]!]!++] = i;
  return { order, offsets };
}

function sumRange(a: Uint32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i]!;
  return s;
}

/** 1 − cos(Σ members, centroid) per fine cluster (0 right after clustering, which sets μ = mean). */
function layoutDrift(rows: RowMatrix, fine: RowMatrix, fineRows: Uint32Array): Float32Array {
  const out = new Float32Array(fine.rows);
  const sum = new Float64Array(rows.dim);
  for (let f = 0; f < fine.rows; f++) {
    sum.fill(0);
    for (let r = fineRows[f]!; r < fineRows[f + 1]!; r++) {
      const v = rows.row(r);
      for (let d = 0; d < rows.dim; d++) sum[d]! += v[d]!;
    }
    out[f] = driftOf(sum, fine.row(f));
  }
  return out;
}

/** 1 − cos(sum, mu) for a unit `mu`; 0 for an empty sum. */
export function driftOf(sum: Float64Array, mu: Float32Array): number {
  let dot = 0;
  let norm = 0;
  for (let d = 0; d < mu.length; d++) {
    dot += sum[d]! * mu[d]!;
    norm += sum[d]! * sum[d]!;
  }
  return norm > 0 ? Math.max(0, 1 - dot / Math.sqrt(norm)) : 0;
}

/** The live items (main and extra rows, cluster order) as layout input for compaction or re-clustering. */
export function liveItems(s: ClusterState): { points: PackedVectors; ids: Uint32Array; itemFine: Int32Array } {
  const data = new Float32Array(s.live * s.dim);
  const ids = new Uint32Array(s.live);
  const itemFine = new Int32Array(s.live);
  let j = 0;
  for (let r = 0; r < s.rows.rows; r++) {
    if (s.rowDead[r]) continue;
    data.set(s.rows.row(r), j * s.dim);
    ids[j] = s.rowIds[r]!;
    itemFine[j++] = s.rowFine[r]!;
  }
  return { points: { data, dim: s.dim }, ids, itemFine };
}
