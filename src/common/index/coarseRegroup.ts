import { RowMatrix } from './rowMatrix.ts';
import { assignNearest, trainKMeans } from './kmeans.ts';
import { levelSizes, type TwoLevelOptions } from './twoLevelClustering.ts';
import { normalizeInPlace } from './vectorMath.ts';
import type { ClusterState } from './clusterState.ts';

/**
 * Re-clusters the coarse level only: weighted spherical k-means over the fine centroids (weight = live
 * members), so fine clusters and item assignments stay as they are. Coarse centroids become the unit
 * vector along Σ N_f μ_f of their children. Empty coarse groups are dropped and ids renumbered.
 */
export function regroupCoarse(s: ClusterState, o: TwoLevelOptions): { fineParent: Int32Array; coarse: RowMatrix } {
  const kf = s.fine.rows;
  const dim = s.dim;
  const data = new Float32Array(kf * dim);
  for (let f = 0; f < kf; f++) data.set(s.fine.row(f), f * dim);
  const points = { data, dim };
  const k = levelSizes(s.live, o).coarse;
  const cents = trainKMeans(points, { k, seed: o.seed, iterations: o.iterations, weights: s.fineCount, backend: o.backend });
  const labels = new Int32Array(kf).fill(-1);
  assignNearest(points, cents, { labels, scores: new Float32Array(kf) });
  const sums = new Float64Array(cents.rows * dim);
  const used = new Uint8Array(cents.rows);
  for (let f = 0; f < kf; f++) {
    const c = labels[f]!;
    used[c] = 1;
    const w = Math.max(s.fineCount[f]!, 1e-6);
    for (let d = 0; d < dim; d++) sums[c * dim + d]! += w * data[f * dim + d]!;
  }
  const renumber = new Int32Array(cents.rows).fill(-1);
  const coarse = new RowMatrix(dim, cents.rows, o.backend);
  for (let c = 0; c < cents.rows; c++) {
    if (!used[c]) continue;
    normalizeInPlace(sums, c * dim, dim);
    renumber[c] = coarse.append(sums, c * dim);
  }
  return { fineParent: Int32Array.from(labels, (c) => renumber[c]!), coarse };
}
