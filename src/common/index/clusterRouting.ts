import { PERSISTED_OPTIONS, IndexFormatError, type PersistedOptions } from './clusterSerialization.ts';
import type { ClusterBaseline } from './clusterState.ts';
import type { Thresholds } from './clusterSearch.ts';

/**
 * The routing part of an index: both centroid levels, the parent of each fine cluster, the fine cluster
 * of each item id, thresholds, baseline and options. No item vectors: the store already holds them, so
 * this is ≈ (k_coarse + k_fine)·dim·4 + 8·n bytes, a few percent of the vectors. Little-endian:
 *
 *   u32 magic "SQCR", u32 version, u32 dim, u32 coarse k, u32 fine k, u32 items
 *   f64 × 3 thresholds, f64 × 3 baseline, f64 × 9 options
 *   f32 coarse centroids [kc·dim] | f32 fine centroids [kf·dim] | u32 fineParent [kf]
 *   u32 item ids [n] | u32 item fine cluster [n]
 */
export const ROUTING_FORMAT_VERSION = 1;
const MAGIC = 0x52435153; // "SQCR"
const HEADER_U32 = 6;
const HEADER_F64 = 6 + PERSISTED_OPTIONS.length;

export interface ClusterRouting {
  readonly dim: number;
  /** Unit coarse centroids, packed (kc·dim). */
  readonly coarse: Float32Array;
  /** Unit fine centroids, packed (kf·dim). */
  readonly fine: Float32Array;
  /** Coarse parent of each fine cluster (kf). */
  readonly fineParent: Uint32Array;
  readonly ids: Uint32Array;
  /** Fine cluster of each item of `ids`. */
  readonly itemFine: Uint32Array;
  readonly thresholds: Thresholds;
  readonly baseline: ClusterBaseline;
  readonly options: PersistedOptions;
}

export function encodeRouting(r: ClusterRouting): Uint8Array {
  const [kc, kf, n] = [r.coarse.length / r.dim, r.fine.length / r.dim, r.ids.length];
  const out = new Uint8Array(4 * HEADER_U32 + 8 * HEADER_F64 + 4 * ((kc + kf) * r.dim + kf + 2 * n));
  const view = new DataView(out.buffer);
  [MAGIC, ROUTING_FORMAT_VERSION, r.dim, kc, kf, n].forEach((v, i) => view.setUint32(4 * i, v, true));
  const f64 = [r.thresholds.temperature, r.thresholds.logTauCoarse, r.thresholds.logTauFine,
    r.baseline.items, r.baseline.fineImbalance, r.baseline.coarseImbalance, ...PERSISTED_OPTIONS.map((k) => r.options[k])];
  f64.forEach((v, i) => view.setFloat64(4 * HEADER_U32 + 8 * i, v, true));
  let at = 4 * HEADER_U32 + 8 * HEADER_F64;
  for (const a of [r.coarse, r.fine, r.fineParent, r.ids, r.itemFine]) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return out;
}

/** Throws IndexFormatError for anything that is not a routing blob of this version (the caller rebuilds). */
export function decodeRouting(bytes: Uint8Array): ClusterRouting {
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('routing data needs a little-endian platform');
  if (bytes.byteLength < 4 * HEADER_U32 + 8 * HEADER_F64) throw new IndexFormatError('routing data is truncated');
  const buf = bytes.slice().buffer; // aligned private copy
  const view = new DataView(buf);
  const [magic, version, dim, kc, kf, n] = Array.from({ length: HEADER_U32 }, (_, i) => view.getUint32(4 * i, true)) as [number, number, number, number, number, number];
  if (magic !== MAGIC) throw new IndexFormatError('not a Squeeze routing blob');
  if (version !== ROUTING_FORMAT_VERSION) throw new IndexFormatError(`routing format ${version}, expected ${ROUTING_FORMAT_VERSION}`);
  const expected = 4 * HEADER_U32 + 8 * HEADER_F64 + 4 * ((kc + kf) * dim + kf + 2 * n);
  if (buf.byteLength !== expected || dim === 0 || kc === 0 || kf === 0) throw new IndexFormatError(`routing data has ${buf.byteLength} bytes, expected ${expected}`);
  const f64 = Array.from({ length: HEADER_F64 }, (_, i) => view.getFloat64(4 * HEADER_U32 + 8 * i, true));
  let at = 4 * HEADER_U32 + 8 * HEADER_F64;
  const take = (len: number): number => ((at += 4 * len), at - 4 * len);
  const coarse = new Float32Array(buf, take(kc * dim), kc * dim);
  const fine = new Float32Array(buf, take(kf * dim), kf * dim);
  const fineParent = new Uint32Array(buf, take(kf), kf);
  const ids = new Uint32Array(buf, take(n), n);
  const itemFine = new Uint32Array(buf, take(n), n);
  if (fineParent.some((p) => p >= kc) || itemFine.some((f) => f >= kf)) throw new IndexFormatError('routing cluster ids are corrupt');
  return {
    dim, coarse, fine, fineParent, ids, itemFine,
    thresholds: { temperature: f64[0]!, logTauCoarse: f64[1]!, logTauFine: f64[2]! },
    baseline: { items: f64[3]!, fineImbalance: f64[4]!, coarseImbalance: f64[5]! },
    options: Object.fromEntries(PERSISTED_OPTIONS.map((k, i) => [k, f64[6 + i]!])) as PersistedOptions,
  };
}
