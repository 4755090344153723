import { RowMatrix } from './rowMatrix.ts';
import { KMeansWorkspace, ROWS_MODE_MAX_K, assignNearest, assignRows, countOf, gather, trainKMeans, type PackedVectors } from './kmeans.ts';
import { normalizeInPlace } from './vectorMath.ts';
import type { KernelBackend } from './dotKernel.ts';

/**
 * Two-level clustering, built top-down: coarse k-means (trained on a sample) partitions all items, then
 * each coarse cluster is split by its own fine k-means, so every fine cluster has exactly one coarse
 * parent and lookups descend the same tree the build made. Cost ≈ n·dim·(k_coarse + k_fine/k_coarse·iters)
 * instead of n·dim·k_fine for a flat fine k-means.
 */
export interface TwoLevelOptions {
  /** Fine clusters per item (0.05 = one per 20 items). */
  readonly fineFraction: number;
  /** Coarse clusters per fine cluster. */
  readonly coarseFraction: number;
  readonly seed: number;
  /** Lloyd iterations of the coarse k-means. */
  readonly iterations: number;
  /** Lloyd iterations of each fine k-means (small groups converge fast; this dominates build time). */
  readonly fineIterations: number;
  /** k-means trains on at most this many points per centroid. */
  readonly samplePerCentroid: number;
  readonly backend?: KernelBackend;
}

export interface TwoLevelClustering {
  /** Unit coarse centroids: the normalised sum of their items. */
  readonly coarse: RowMatrix;
  /** Unit fine centroids: the normalised sum of their items. */
  readonly fine: RowMatrix;
  /** Coarse cluster of each fine cluster. */
  readonly fineParent: Int32Array;
  /** Fine cluster of each item. */
  readonly itemFine: Int32Array;
}

export function levelSizes(n: number, o: Pick<TwoLevelOptions, 'fineFraction' | 'coarseFraction'>): { fine: number; coarse: number } {
  const fine = Math.max(1, Math.min(n, Math.round(o.fineFraction * n)));
  return { fine, coarse: Math.max(1, Math.min(fine, Math.round(o.coarseFraction * fine))) };
}

export function clusterTwoLevel(points: PackedVectors, o: TwoLevelOptions): TwoLevelClustering {
  const n = countOf(points);
  const sizes = levelSizes(n, o);
  const coarse = trainKMeans(points, {
    k: sizes.coarse, seed: o.seed, iterations: o.iterations, sampleSize: sizes.coarse * o.samplePerCentroid, backend: o.backend,
  });
  const labels = new Int32Array(n).fill(-1);
  assignNearest(points, coarse, { labels, scores: new Float32Array(n) });
  return clusterWithinCoarse(points, labels, sizes.fine, o);
}

/**
 * Splits each coarse group (items with the same `coarseLabel`) into about k_fine·|group|/n fine clusters.
 * Empty groups and empty fine clusters are dropped; coarse ids are renumbered densely.
 */
export function clusterWithinCoarse(points: PackedVectors, coarseLabel: Int32Array, fineTotal: number, o: TwoLevelOptions): TwoLevelClustering {
  const n = countOf(points);
  const groups = groupBy(coarseLabel);
  const coarse = new RowMatrix(points.dim, groups.length, o.backend);
  const fine = new RowMatrix(points.dim, fineTotal, o.backend);
  const fineParent: number[] = [];
  const itemFine = new Int32Array(n);
  const workspace = new KMeansWorkspace();
  for (const members of groups) {
    const sub = gather(points, members, workspace.floats('group', members.length * points.dim));
    const k = Math.max(1, Math.min(members.length, Math.round((fineTotal * members.length) / n)));
    const seed = o.seed + 7919 * (coarse.rows + 1);
    const cents = trainKMeans(sub, { k, seed, iterations: o.fineIterations, sampleSize: k * o.samplePerCentroid, backend: o.backend, workspace });
    const local = new Int32Array(members.length).fill(-1);
    assignAll(sub, cents, { labels: local, workspace });
    const firstFine = fine.rows;
    const kept = meanCentroids(sub, local, cents.rows);
    const coarseVec = normalizedSum(kept.sums, points.dim, kept.count.length);
    for (let c = 0; c < kept.count.length; c++) {
      if (kept.count[c] === 0) continue;
      kept.remap[c] = fine.append(kept.sums, c * points.dim);
      fineParent.push(coarse.rows);
    }
    for (let j = 0; j < members.length; j++) itemFine[members[j]!] = kept.remap[local[j]!]!;
    coarse.append(coarseVec);
    if (fine.rows === firstFine) throw new Error('clusterWithinCoarse: a non-empty group produced no cluster');
  }
  return { coarse, fine, fineParent: Int32Array.from(fineParent), itemFine };
}

/** Nearest centroid of every point, through whichever kernel layout suits k. */
function assignAll(points: PackedVectors, cents: RowMatrix, o: { labels: Int32Array; workspace: KMeansWorkspace }): void {
  const n = countOf(points);
  const scores = new Float32Array(n);
  if (cents.rows > ROWS_MODE_MAX_K) {
    assignNearest(points, cents, { labels: o.labels, scores });
    return;
  }
  const rows = o.workspace.rows(points.dim, cents.backend);
  rows.append(points.data, 0, n);
  assignRows(rows, cents, { labels: o.labels, scores });
}

/** Item indices grouped by label, groups in label order, empty labels skipped. */
export function groupBy(labels: Int32Array): Uint32Array[] {
  let k = 0;
  for (const l of labels) k = Math.max(k, l + 1);
  const counts = new Uint32Array(k);
  for (const l of labels) counts[l]!++;
  const groups = Array.from(counts, (c) => new Uint32Array(c));
  const fill = new Uint32Array(k);
  for (let i = 0; i < labels.length; i++) groups[labels[i]!]![fill[labels[i]!]!++] = i;
  return groups.filter((g) => g.length > 0);
}

/** Per-label unit mean vectors (in `sums`, normalised in place) and member counts. */
function meanCentroids(points: PackedVectors, labels: Int32Array, k: number): { sums: Float32Array; count: Uint32Array; remap: Int32Array } {
  const { data, dim } = points;
  const sums64 = new Float64Array(k * dim);
  const count = new Uint32Array(k);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    count[c]!++;
    for (let d = 0, a = i * dim, b = c * dim; d < dim; d++) sums64[b + d]! += data[a + d]!;
  }
  const sums = Float32Array.from(sums64);
  return { sums, count, remap: new Int32Array(k).fill(-1) };
}

/** The unit vector along the sum of the first k rows of packed `sums`; each row is normalised too. */
function normalizedSum(sums: Float32Array, dim: number, k: number): Float64Array {
  const total = new Float64Array(dim);
  for (let c = 0; c < k; c++) for (let d = 0; d < dim; d++) total[d]! += sums[c * dim + d]!;
  for (let c = 0; c < k; c++) normalizeInPlace(sums, c * dim, dim);
  normalizeInPlace(total, 0, dim);
  return total;
}
