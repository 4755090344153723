// A plain one-level IVF (inverted file, flat lists) baseline: spherical k-means with `nlist` centroids
// (same kmeans.ts and WASM SIMD kernel as the cluster index), lists stored contiguously, lookup scores
// all centroids and scans the `nprobe` most similar lists exactly.
import { RowMatrix } from '../../../src/common/index/rowMatrix.ts';
import { TopKHeap } from '../../../src/common/search/topKHeap.ts';
import { assignNearest, countOf, trainKMeans, type PackedVectors } from '../../../src/common/index/kmeans.ts';
import { countingOrder } from '../../../src/common/index/clusterState.ts';

export interface IvfOptions {
  readonly nlist: number;
  readonly seed: number;
  readonly iterations: number;
  readonly samplePerCentroid: number;
}

export class IvfFlat {
  readonly centroids: RowMatrix;
  private readonly rows: RowMatrix;
  private readonly ids: Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly sims: Float32Array;
  private readonly order: Int32Array;
  private readonly listSims: Float32Array;

  constructor(points: PackedVectors, o: IvfOptions) {
    const n = countOf(points);
    this.centroids = trainKMeans(points, { k: o.nlist, seed: o.seed, iterations: o.iterations, sampleSize: o.nlist * o.samplePerCentroid });
    const labels = new Int32Array(n).fill(-1);
    assignNearest(points, this.centroids, { labels, scores: new Float32Array(n) });
    const { order, offsets } = countingOrder(labels, this.centroids.rows);
    this.rows = new RowMatrix(points.dim, n);
    this.rows.resize(n);
    order.forEach((item, r) => this.rows.setRow(r, points.data, item * points.dim));
    this.ids = order;
    this.offsets = offsets;
    this.sims = new Float32Array(this.centroids.rows);
    this.order = Int32Array.from({ length: this.centroids.rows }, (_, i) => i);
    let widest = 1;
    for (let c = 0; c < this.centroids.rows; c++) widest = Math.max(widest, offsets[c + 1]! - offsets[c]!);
    this.listSims = new Float32Array(widest);
  }

  get bytesBeyondVectors(): number {
    return this.centroids.bytes + this.ids.byteLength + this.offsets.byteLength;
  }

  /** Top-k ids and the number of item vectors scored. */
  search(q: Float32Array, k: number, nprobe: number): { ids: number[]; scored: number } {
    this.centroids.setQuery(q);
    this.centroids.score(0, this.centroids.rows, this.sims);
    const probe = topLists(this.sims, this.order, nprobe);
    const top = new TopKHeap(k);
    this.rows.setQuery(q);
    let scored = 0;
    for (const c of probe) {
      const a = this.offsets[c]!;
      const len = this.offsets[c + 1]! - a;
      this.rows.score(a, len, this.listSims);
      scored += len;
      for (let i = 0; i < len; i++) if (this.listSims[i]! >= top.threshold) top.push(a + i, this.listSims[i]!);
    }
    return { ids: top.sorted().map((h) => this.ids[h.index]!), scored };
  }
}

/** The nprobe most similar lists (partial selection through a small TopKHeap). */
function topLists(sims: Float32Array, order: Int32Array, nprobe: number): number[] {
  const top = new TopKHeap(Math.min(nprobe, order.length));
  for (let c = 0; c < sims.length; c++) if (sims[c]! >= top.threshold) top.push(c, sims[c]!);
  return top.sorted().map((h) => h.index);
}
