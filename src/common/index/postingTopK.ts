import { TopKHeap } from '../search/topKHeap.ts';
import type { RowMatrix } from './rowMatrix.ts';
import type { SparsePostings } from './sparsePostings.ts';

/**
 * Exact top-k through posting lists with max-score pruning. The query's dimensions are read in order of
 * their largest possible contribution |w_d|·max|x_d| (rare, heavily weighted buckets first; common
 * buckets have low IDF weights and long lists). Once the contributions still to come cannot lift a row
 * that no list has touched past the k-th best lower bound θ, the remaining lists are not read: only the
 * touched rows whose upper bound reaches θ get the rest of their score from the dense row. Exact: every
 * row of the true top-k is either a candidate or has a final score below θ ≤ the k-th best score.
 */

export interface PostingBuffers {
  /** Partial score per covered row; all zero between calls. */
  acc: Float32Array;
  /** 1 for rows touched in this call; all zero between calls. */
  mark: Uint8Array;
  /** Rows touched in this call, in touch order. */
  touched: Int32Array;
}

export function postingBuffers(rows: number): PostingBuffers {
  return { acc: new Float32Array(rows), mark: new Uint8Array(rows), touched: new Int32Array(rows) };
}

export interface PostingStats {
  /** Posting entries read. */
  readonly postingsRead: number;
  /** Rows some read list touched. */
  readonly touched: number;
  /** Touched rows completed from their dense row (0 when every list was read). */
  readonly completed: number;
}

interface QueryTerms {
  readonly dims: Int32Array;
  readonly weights: Float32Array;
  /** Σ of the upper / lower contribution bounds of terms i… (length n + 1). */
  readonly hiRest: Float64Array;
  readonly loRest: Float64Array;
}

/** The query's non-zero dimensions, by largest possible contribution first, with suffix bound sums. */
function queryTerms(p: SparsePostings, q: Float32Array): QueryTerms {
  const terms: { d: number; w: number; hi: number; lo: number }[] = [];
  for (let d = 0; d < p.dim; d++) {
    const w = q[d]!;
    if (w === 0 || p.length(d) === 0) continue;
    const a = w * p.maxValue[d]!;
    const b = w * p.minValue[d]!;
    terms.push({ d, w, hi: Math.max(0, a, b), lo: Math.min(0, a, b) });
  }
  terms.sort((x, y) => y.hi - x.hi || p.length(x.d) - p.length(y.d));
  const n = terms.length;
  const hiRest = new Float64Array(n + 1);
  const loRest = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    hiRest[i] = hiRest[i + 1]! + terms[i]!.hi;
    loRest[i] = loRest[i + 1]! + terms[i]!.lo;
  }
  return { dims: Int32Array.from(terms, (t) => t.d), weights: Float32Array.from(terms, (t) => t.w), hiRest, loRest };
}

/** k-th largest lower bound acc[r] + slack over the live touched rows (−∞ with fewer than k). */
function kthLowerBound(b: PostingBuffers, count: number, dead: Uint8Array, k: number, slack: number): number {
  const top = new TopKHeap(k);
  for (let i = 0; i < count; i++) {
    const r = b.touched[i]!;
    if (!dead[r]) top.push(r, b.acc[r]! + slack);
  }
  return top.threshold;
}

/**
 * Pushes the covered live rows with a positive exact score into `top` (its k is the k of the search).
 * `rows` holds the dense rows the postings were built from; `dead` flags removed rows.
 */
export function postingTopK(p: SparsePostings, rows: RowMatrix, q: Float32Array, top: TopKHeap, b: PostingBuffers, dead: Uint8Array): PostingStats {
  const t = queryTerms(p, q);
  const { starts, refs, values } = p;
  const { acc, mark, touched } = b;
  let count = 0;
  let read = 0;
  let sinceCheck = 0;
  let theta = -Infinity;
  let i = 0;
  for (; i < t.dims.length; i++) {
    const len = p.length(t.dims[i]!);
    if (count >= top.k && sinceCheck + len >= count) {
      theta = kthLowerBound(b, count, dead, top.k, t.loRest[i]!);
      sinceCheck = 0;
      if (t.hiRest[i]! <= 0 || t.hiRest[i]! < theta) break;
    }
    const w = t.weights[i]!;
    for (let e = starts[t.dims[i]!]!, end = e + len; e < end; e++) {
      const r = refs[e]!;
      if (mark[r] === 0) {
        mark[r] = 1;
        touched[count++] = r;
      }
      acc[r]! += w * values[e]!;
    }
    read += len;
    sinceCheck += len;
  }
  const rest = t.dims.length - i;
  const restDims = t.dims.subarray(i);
  const restWeights = t.weights.subarray(i);
  const bound = t.hiRest[i]!;
  let completed = 0;
  for (let j = 0; j < count; j++) {
    const r = touched[j]!;
    let score = acc[r]!;
    acc[r] = 0;
    mark[r] = 0;
    if (dead[r]) continue;
    if (rest > 0) {
      if (score + bound < theta || score + bound <= 0) continue;
      score += rows.partialDot(r, restDims, restWeights, rest);
      completed++;
    }
    if (score > 0 && score >= top.threshold) top.push(r, score);
  }
  return { postingsRead: read, touched: count, completed };
}
