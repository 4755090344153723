/**
 * Clusters of the context keys of one layer, per KV head: every key before the query window (chunk keys and
 * the rest of the prompt alike, since exact attention normalises over all of them). The project's spherical
 * k-means (seeded k-means++) groups keys by direction; each cluster is then represented by the plain mean of
 * its members (the squeezed-attention centroid μ_c, whose dot product with a query estimates its members'
 * logits), its size and its members' spread around the mean.
 */
import { assignNearest, trainKMeans } from '../index/kmeans.ts';
import { normalizeInPlace } from '../index/vectorMath.ts';
import { keyOffset, type LayerAttention } from './attentionTypes.ts';

export interface HeadClusters {
  /** Cluster means, [clusters, headDim]. */
  readonly centroids: Float32Array;
  readonly counts: Uint32Array;
  /** Key positions of each cluster's members. */
  readonly members: readonly Int32Array[];
  /** Members per chunk of each cluster, as [chunk, count] pairs (for the mass of clusters not scored exactly); members outside chunks are counted only in `counts`. */
  readonly chunkCounts: readonly (readonly (readonly [number, number])[])[];
  /** Per cluster, the members' mean squared distance to the centroid per dimension (|k − μ|² / d). */
  readonly spread: Float32Array;
}

export interface ClusterOptions {
  /** Clusters per KV head as a share of the clustered keys (default 0.05, as in the design). */
  readonly fraction?: number;
  readonly seed?: number;
}

/** Positions of the keys every query sees: those before the query window. */
export function contextKeyPositions(a: LayerAttention): Int32Array {
  return Int32Array.from({ length: Math.max(0, a.length - a.queryCount) }, (_, t) => t);
}

function unitKeys(a: LayerAttention, g: number, positions: Int32Array): Float32Array {
  const d = a.headDim;
  const out = new Float32Array(positions.length * d);
  positions.forEach((t, i) => {
    out.set(a.keys.subarray(keyOffset(a, g, t), keyOffset(a, g, t) + d), i * d);
    normalizeInPlace(out, i * d, d);
  });
  return out;
}

function summarise(a: LayerAttention, g: number, positions: Int32Array, labels: Int32Array, k: number): HeadClusters {
  const d = a.headDim;
  const sums = new Float64Array(k * d);
  const lists: number[][] = Array.from({ length: k }, () => []);
  positions.forEach((t, i) => {
    const c = labels[i]!;
    lists[c]!.push(t);
    const o = keyOffset(a, g, t);
    for (let x = 0; x < d; x++) sums[c * d + x]! += a.keys[o + x]!;
  });
  const counts = Uint32Array.from(lists, (l) => l.length);
  const centroids = Float32Array.from(sums, (v, i) => (counts[Math.floor(i / d)]! > 0 ? v / counts[Math.floor(i / d)]! : 0));
  const chunkCounts = lists.map((l) => {
    const per = new Map<number, number>();
    for (const t of l) if (a.chunkOf[t]! >= 0) per.set(a.chunkOf[t]!, (per.get(a.chunkOf[t]!) ?? 0) + 1);
    return [...per.entries()];
  });
  const spread = new Float32Array(k);
  lists.forEach((l, c) => {
    let sq = 0;
    for (const t of l) {
      const o = keyOffset(a, g, t);
      for (let x = 0; x < d; x++) sq += (a.keys[o + x]! - centroids[c * d + x]!) ** 2;
    }
    spread[c] = l.length > 0 ? sq / (l.length * d) : 0;
  });
  return { centroids, counts, members: lists.map((l) => Int32Array.from(l)), chunkCounts, spread };
}

/** Clusters of every KV head's context keys. */
export function clusterKeys(a: LayerAttention, o: ClusterOptions = {}): HeadClusters[] {
  const positions = contextKeyPositions(a);
  const k = Math.max(1, Math.round((o.fraction ?? 0.05) * positions.length));
  if (positions.length === 0) return Array.from({ length: a.kvHeads }, () => ({ centroids: new Float32Array(0), counts: new Uint32Array(0), members: [], chunkCounts: [], spread: new Float32Array(0) }));
  return Array.from({ length: a.kvHeads }, (_, g) => {
    const points = { data: unitKeys(a, g, positions), dim: a.headDim };
    const centroids = trainKMeans(points, { k, seed: (o.seed ?? 1) + g });
    const labels = new Int32Array(positions.length);
    assignNearest(points, centroids, { labels, scores: new Float32Array(positions.length) });
    return summarise(a, g, positions, labels, centroids.rows);
  });
}
