import type { TopKHeap } from '../search/topKHeap.ts';
import type { SparsePostings } from './sparsePostings.ts';

/**
 * Exact top-k through posting lists: the lists of the query's non-zero dimensions are scatter-added into
 * a score per row, then the scored rows are read once for the top k. Two layouts of the same sum:
 *
 *  - few entries (under SWEEP_SHARE of the rows): each row is listed when first hit, and only the listed
 *    rows are read back;
 *  - otherwise the whole score array is swept afterwards, and the scatter-add has no per-entry branch.
 *
 * An earlier version read the lists by largest possible contribution and stopped early with max-score
 * bounds; on real hashed chunk vectors its bound checks (a top-k over every touched row) cost 2–6× the
 * lists they saved, because hashed buckets' bounds are loose (docs/decisions.md).
 */

export interface PostingBuffers {
  /** Score per covered row; all zero between calls. */
  acc: Float32Array;
  /** 1 for rows listed in this call; all zero between calls. */
  mark: Uint8Array;
  /** Rows listed in this call, in first-hit order. */
  touched: Int32Array;
}

export function postingBuffers(rows: number): PostingBuffers {
  return { acc: new Float32Array(rows), mark: new Uint8Array(rows), touched: new Int32Array(rows) };
}

export interface PostingStats {
  /** Posting entries read. */
  readonly postingsRead: number;
  /** Rows with a non-zero score (some read list holds them). */
  readonly touched: number;
  /** Whether the whole score array was swept (many entries) instead of the listed rows. */
  readonly swept: boolean;
}

/** Below this many entries per covered row the touched rows are listed; from it on the score array is swept. */
export const SWEEP_SHARE = 0.25;

/**
 * Pushes the covered live rows with a positive exact score into `top` (its k is the k of the search).
 * `dead` flags removed rows.
 */
export function postingTopK(p: SparsePostings, q: Float32Array, top: TopKHeap, b: PostingBuffers, dead: Uint8Array): PostingStats {
  const entries = p.cost(q);
  return entries < SWEEP_SHARE * p.rows ? listed(p, q, top, b, dead, entries) : swept(p, q, top, b, dead, entries);
}

function listed(p: SparsePostings, q: Float32Array, top: TopKHeap, b: PostingBuffers, dead: Uint8Array, entries: number): PostingStats {
  const { starts, refs, values } = p;
  const { acc, mark, touched } = b;
  let count = 0;
  for (let d = 0; d < p.dim; d++) {
    const w = q[d]!;
    if (w === 0) continue;
    for (let e = starts[d]!, end = starts[d + 1]!; e < end; e++) {
      const r = refs[e]!;
      if (mark[r] === 0) {
        mark[r] = 1;
        touched[count++] = r;
      }
      acc[r]! += w * values[e]!;
    }
  }
  let bar = Math.max(top.threshold, Number.MIN_VALUE);
  for (let j = 0; j < count; j++) {
    const r = touched[j]!;
    const score = acc[r]!;
    acc[r] = 0;
    mark[r] = 0;
    if (score >= bar && !dead[r]) {
      top.push(r, score);
      bar = Math.max(top.threshold, Number.MIN_VALUE);
    }
  }
  return { postingsRead: entries, touched: count, swept: false };
}

function swept(p: SparsePostings, q: Float32Array, top: TopKHeap, b: PostingBuffers, dead: Uint8Array, entries: number): PostingStats {
  const { starts, refs, values } = p;
  const acc = b.acc;
  for (let d = 0; d < p.dim; d++) {
    const w = q[d]!;
    if (w === 0) continue;
    for (let e = starts[d]!, end = starts[d + 1]!; e < end; e++) acc[refs[e]!]! += w * values[e]!;
  }
  // Compare every row, then zero the array in one fill: branching on zero rows and clearing them one by
  // one cost 4× as much (unpredictable branches, scattered stores).
  let count = 0;
  let bar = Math.max(top.threshold, Number.MIN_VALUE);
  for (let r = 0; r < p.rows; r++) {
    const score = acc[r]!;
    count += score !== 0 ? 1 : 0;
    if (score >= bar && !dead[r]) {
      top.push(r, score);
      bar = Math.max(top.threshold, Number.MIN_VALUE);
    }
  }
  acc.fill(0, 0, p.rows);
  return { postingsRead: entries, touched: count, swept: true };
}
