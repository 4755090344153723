import { RowMatrix, blockFloats, interleaveBlocks } from './rowMatrix.ts';
import { Prng } from './prng.ts';
import { normalizeInPlace } from './vectorMath.ts';
import type { KernelBackend } from './dotKernel.ts';

/**
 * Spherical k-means on unit vectors (similarity = dot product, centroids re-normalised after every
 * update), seeded k-means++ initialisation (Arthur & Vassilvitskii 2007), Lloyd iterations on a sample
 * of the points, and batched assignment of all points through the dot4 kernel.
 */
export interface KMeansOptions {
  readonly k: number;
  /** PRNG seed: the same data, options and seed give the same centroids. Default 1. */
  readonly seed?: number;
  /** Lloyd iterations (stops earlier when no label changes). Default 10. */
  readonly iterations?: number;
  /** Train on at most this many points, drawn with the seed. Default: all points. */
  readonly sampleSize?: number;
  /** Per-point weights (e.g. cluster sizes when clustering centroids). Default 1 each. */
  readonly weights?: ArrayLike<number>;
  readonly backend?: KernelBackend;
  /** Reuse buffers across many runs (see KMeansWorkspace). */
  readonly workspace?: KMeansWorkspace;
}

/**
 * Buffers reused across many small k-means runs (one per coarse group): fresh memory costs a page fault
 * per 4 KiB on first touch, which on a VM was as slow as the arithmetic.
 */
export class KMeansWorkspace {
  private matrix: RowMatrix | undefined;
  private readonly buffers = new Map<string, Float32Array>();

  /** An empty row matrix (reused while dim and backend match). */
  rows(dim: number, backend: KernelBackend | undefined): RowMatrix {
    if (!this.matrix || this.matrix.dim !== dim || (backend !== undefined && this.matrix.backend !== backend)) {
      this.matrix = new RowMatrix(dim, 0, backend);
    }
    this.matrix.resize(0);
    return this.matrix;
  }

  /** A float buffer of exactly `length` (a view of a reused, growing one). */
  floats(name: string, length: number): Float32Array {
    let b = this.buffers.get(name);
    if (!b || b.length < length) {
      b = new Float32Array(Math.max(length, Math.floor((b?.length ?? 0) * 1.5)));
      this.buffers.set(name, b);
    }
    return b.subarray(0, length);
  }
}

/** Points are packed: point i is floats [i·dim, (i+1)·dim) of `data`. */
export interface PackedVectors {
  readonly data: Float32Array;
  readonly dim: number;
}

export function countOf(points: PackedVectors): number {
  return Math.floor(points.data.length / points.dim);
}

/** Trains k centroids (unit rows of the returned matrix; fewer than k when there are fewer points). */
export function trainKMeans(points: PackedVectors, options: KMeansOptions): RowMatrix {
  const rng = new Prng(options.seed ?? 1);
  const n = countOf(points);
  const sampleIdx = options.sampleSize !== undefined && options.sampleSize < n ? rng.sample(n, options.sampleSize) : undefined;
  const ws = options.workspace;
  const sample = sampleIdx ? gather(points, sampleIdx, ws?.floats('sample', sampleIdx.length * points.dim)) : points;
  const weights = sampleIdx && options.weights ? Float64Array.from(sampleIdx, (i) => options.weights![i]!) : options.weights;
  const m = countOf(sample);
  const k = Math.max(1, Math.min(options.k, m));
  const rows = ws ? ws.rows(sample.dim, options.backend) : new RowMatrix(sample.dim, m, options.backend);
  rows.append(sample.data, 0, m);
  const centroids = initPlusPlus(rows, { k, rng, weights });
  const labels = new Int32Array(m).fill(-1);
  const scores = new Float32Array(m);
  const asRows = k <= ROWS_MODE_MAX_K;
  const blocks = asRows ? undefined : interleaveBlocks(sample.data, sample.dim, m, ws?.floats('blocks', blockFloats(sample.dim, m)));
  for (let it = 0; it < (options.iterations ?? 10); it++) {
    const changed = asRows ? assignRows(rows, centroids, { labels, scores }) : assignNearest(sample, centroids, { labels, scores, blocks });
    if (changed === 0 && it > 0) break;
    updateCentroids(sample, { labels, scores, weights }, centroids);
  }
  return centroids;
}

/** Packs the chosen points into `into` (idx.length·dim floats) or a new buffer. */
export function gather(points: PackedVectors, idx: ArrayLike<number>, into?: Float32Array): PackedVectors {
  const { data, dim } = points;
  const out = into ?? new Float32Array(idx.length * dim);
  for (let j = 0; j < idx.length; j++) out.set(data.subarray(idx[j]! * dim, (idx[j]! + 1) * dim), j * dim);
  return { data: out, dim };
}

interface InitArgs {
  readonly k: number;
  readonly rng: Prng;
  readonly weights: ArrayLike<number> | undefined;
}

/** k-means++: each next centre drawn with probability ∝ w·(1 − best similarity), i.e. ∝ w·‖x − c‖²/2. */
function initPlusPlus(rows: RowMatrix, { k, rng, weights }: InitArgs): RowMatrix {
  const m = rows.rows;
  const centroids = new RowMatrix(rows.dim, k, rows.backend);
  const best = new Float32Array(m).fill(-Infinity);
  const sims = new Float32Array(m);
  let pick = drawWeighted(m, (i) => (weights ? weights[i]! : 1), rng);
  for (let c = 0; c < k; c++) {
    centroids.append(rows.row(pick));
    rows.setQuery(centroids.row(c));
    rows.score(0, m, sims);
    for (let i = 0; i < m; i++) if (sims[i]! > best[i]!) best[i] = sims[i]!;
    pick = drawWeighted(m, (i) => (weights ? weights[i]! : 1) * Math.max(0, 1 - best[i]!), rng);
  }
  return centroids;
}

function drawWeighted(m: number, weight: (i: number) => number, rng: Prng): number {
  let total = 0;
  for (let i = 0; i < m; i++) total += weight(i);
  if (!(total > 0)) return rng.int(m);
  let u = rng.next() * total;
  for (let i = 0; i < m; i++) {
    u -= weight(i);
    if (u < 0) return i;
  }
  return m - 1;
}

/**
 * Sets labels[i] to the most similar centroid of each point (ties: lowest index) and scores[i] to that
 * similarity; four points per kernel call. Returns how many labels changed. `blocks` (from
 * interleaveBlocks) saves re-packing the points when the same points are assigned repeatedly.
 */
export function assignNearest(points: PackedVectors, centroids: RowMatrix, out: { labels: Int32Array; scores: Float32Array; blocks?: Float32Array }): number {
  const n = countOf(points);
  const k = centroids.rows;
  const sims = new Float32Array(4 * k);
  const step = 4 * centroids.stride;
  const chunk = out.blocks ? undefined : new Float32Array(blockFloats(points.dim, 1024));
  let changed = 0;
  for (let i0 = 0; i0 < n; i0 += 1024) {
    const m = Math.min(1024, n - i0);
    const blocks = out.blocks ?? interleaveBlocks(points.data.subarray(i0 * points.dim), points.dim, m, chunk);
    const base = out.blocks ? i0 : 0;
    for (let i = 0; i < m; i += 4) {
      centroids.setQueryBlock(blocks, ((base + i) / 4) * step);
      centroids.score4(0, k, sims);
      changed += pickBest(sims, { k, count: Math.min(4, m - i), at: i0 + i }, out);
    }
  }
  return changed;
}

/** Up to this many centroids, `assignRows` (points as kernel rows) beats `assignNearest` (points as queries). */
export const ROWS_MODE_MAX_K = 96;

/**
 * Like assignNearest for points already in a RowMatrix: four centroids at a time are the queries and
 * every point is a kernel row, so no point is re-packed (the cheaper way when k is small).
 */
export function assignRows(rows: RowMatrix, centroids: RowMatrix, out: { labels: Int32Array; scores: Float32Array }): number {
  const m = rows.rows;
  const k = centroids.rows;
  const packed = new Float32Array(k * rows.dim);
  for (let c = 0; c < k; c++) packed.set(centroids.row(c), c * rows.dim);
  const blocks = interleaveBlocks(packed, rows.dim, k);
  const sims = new Float32Array(4 * m);
  const best = new Float32Array(m).fill(-Infinity);
  const arg = new Int32Array(m);
  for (let c0 = 0; c0 < k; c0 += 4) {
    rows.setQueryBlock(blocks, c0 * rows.stride);
    rows.score4(0, m, sims);
    const cn = Math.min(4, k - c0);
    for (let r = 0, o = 0; r < m; r++, o += 4) {
      for (let j = 0; j < cn; j++) {
        if (sims[o + j]! > best[r]!) {
          best[r] = sims[o + j]!;
          arg[r] = c0 + j;
        }
      }
    }
  }
  let changed = 0;
  for (let r = 0; r < m; r++) if (out.labels[r] !== arg[r]) changed++;
  out.labels.set(arg);
  out.scores.set(best);
  return changed;
}

/** Argmax over k centroids for up to four points of one score4 result. */
function pickBest(sims: Float32Array, p: { k: number; count: number; at: number }, out: { labels: Int32Array; scores: Float32Array }): number {
  let changed = 0;
  for (let j = 0; j < p.count; j++) {
    let arg = 0;
    let top = -Infinity;
    for (let c = 0, o = j; c < p.k; c++, o += 4) {
      if (sims[o]! > top) {
        top = sims[o]!;
        arg = c;
      }
    }
    if (out.labels[p.at + j] !== arg) changed++;
    out.labels[p.at + j] = arg;
    out.scores[p.at + j] = top;
  }
  return changed;
}

interface Assignment {
  readonly labels: Int32Array;
  readonly scores: Float32Array;
  readonly weights: ArrayLike<number> | undefined;
}

/** Centroid = normalised (weighted) sum of its points; an empty cluster takes the worst-served point. */
function updateCentroids(points: PackedVectors, a: Assignment, centroids: RowMatrix): void {
  const { data, dim } = points;
  const k = centroids.rows;
  const sums = new Float64Array(k * dim);
  const counts = new Float64Array(k);
  for (let i = 0; i < a.labels.length; i++) {
    const c = a.labels[i]!;
    const w = a.weights ? a.weights[i]! : 1;
    counts[c]! += w;
    for (let d = 0, o = i * dim, s = c * dim; d < dim; d++) sums[s + d]! += w * data[o + d]!;
  }
  const worst = emptyFillers(a.scores, counts);
  for (let c = 0; c < k; c++) {
    if (counts[c]! > 0) {
      normalizeInPlace(sums, c * dim, dim);
      centroids.setRow(c, sums, c * dim);
    } else {
      const p = worst.pop();
      if (p !== undefined) centroids.setRow(c, data, p * dim);
    }
  }
}

/** Points to re-seed empty clusters with: the least similar to their centroid, worst last. */
function emptyFillers(scores: Float32Array, counts: Float64Array): number[] {
  let empty = 0;
  for (const c of counts) if (c === 0) empty++;
  if (empty === 0) return [];
  const order = Array.from(scores.keys()).sort((x, y) => scores[y]! - scores[x]! || y - x);
  return order.slice(order.length - empty);
}
