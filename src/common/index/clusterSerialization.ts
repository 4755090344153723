import { RowMatrix } from './rowMatrix.ts';
import { layoutState, type ClusterBaseline, type ClusterState } from './clusterState.ts';
import type { KernelBackend } from './dotKernel.ts';
import type { Thresholds } from './clusterSearch.ts';

/**
 * Compact binary form of a compacted index (no extra rows, no tombstones), little-endian:
 *
 *   u32 magic "SQCI", u32 version, u32 dim, u32 coarse k, u32 fine k, u32 items
 *   f64 × 3 thresholds (temperature, log τ coarse, log τ fine), f64 × 3 baseline, f64 × 9 options
 *   f32 coarse centroids [kc·dim] | u32 coarseFine [kc+1] | f32 fine centroids [kf·dim]
 *   u32 fineParent [kf] | u32 fineRows [kf+1] | u32 item ids [n] | f32 item vectors [n·dim] (cluster order)
 *
 * Row padding is not stored. Fine drift is recomputed from the rows on load.
 */
export const INDEX_FORMAT_VERSION = 1;
const MAGIC = 0x49435153; // "SQCI"
const HEADER_U32 = 6;
const HEADER_F64 = 15;
/** Option slots persisted with the index (numbers, in this order). */
export const PERSISTED_OPTIONS = [
  'fineFraction', 'coarseFraction', 'temperature', 'quantile', 'seed', 'iterations', 'fineIterations', 'samplePerCentroid',
  'calibrationSize',
] as const;
export type PersistedOptions = Record<(typeof PERSISTED_OPTIONS)[number], number>;

/** Thrown for data that is not an index of this format version: the caller rebuilds instead of misreading. */
export class IndexFormatError extends Error {
  override readonly name = 'IndexFormatError';
}

export interface SerializedParts {
  readonly state: ClusterState;
  readonly thresholds: Thresholds;
  readonly options: PersistedOptions;
}

export function serializeState(p: SerializedParts): ArrayBuffer {
  const s = p.state;
  if (s.dead > 0 || s.rows.rows !== s.mainRows) throw new Error('serializeState: compact the index first');
  const [kc, kf, n, dim] = [s.coarse.rows, s.fine.rows, s.mainRows, s.dim];
  const floats = (kc + kf + n) * dim;
  const ints = kc + 1 + kf + kf + 1 + n;
  const buf = new ArrayBuffer(4 * HEADER_U32 + 8 * HEADER_F64 + 4 * (floats + ints));
  const view = new DataView(buf);
  [MAGIC, INDEX_FORMAT_VERSION, dim, kc, kf, n].forEach((v, i) => view.setUint32(4 * i, v, true));
  const f64 = [p.thresholds.temperature, p.thresholds.logTauCoarse, p.thresholds.logTauFine,
    s.baseline.items, s.baseline.fineImbalance, s.baseline.coarseImbalance, ...PERSISTED_OPTIONS.map((k) => p.options[k])];
  f64.forEach((v, i) => view.setFloat64(4 * HEADER_U32 + 8 * i, v, true));
  let at = 4 * HEADER_U32 + 8 * HEADER_F64;
  const put = (a: Float32Array | Uint32Array): void => {
    new Uint8Array(buf, at, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    at += a.byteLength;
  };
  for (let c = 0; c < kc; c++) put(s.coarse.row(c));
  put(s.coarseFine);
  for (let f = 0; f < kf; f++) put(s.fine.row(f));
  put(s.fineParent);
  put(s.fineRows);
  put(s.rowIds.subarray(0, n));
  for (let r = 0; r < n; r++) put(s.rows.row(r));
  return buf;
}

export function deserializeState(buf: ArrayBuffer, backend?: KernelBackend): SerializedParts {
  assertLittleEndian();
  if (buf.byteLength < 4 * HEADER_U32 + 8 * HEADER_F64) throw new IndexFormatError('index data is truncated');
  const view = new DataView(buf);
  const [magic, version, dim, kc, kf, n] = Array.from({ length: HEADER_U32 }, (_, i) => view.getUint32(4 * i, true));
  if (magic !== MAGIC) throw new IndexFormatError('not a Squeeze cluster index');
  if (version !== INDEX_FORMAT_VERSION) throw new IndexFormatError(`index format ${version}, expected ${INDEX_FORMAT_VERSION}`);
  const expected = 4 * HEADER_U32 + 8 * HEADER_F64 + 4 * ((kc! + kf! + n!) * dim! + kc! + 1 + 2 * kf! + 1 + n!);
  if (buf.byteLength !== expected || dim === 0) throw new IndexFormatError(`index data has ${buf.byteLength} bytes, expected ${expected}`);
  const f64 = Array.from({ length: HEADER_F64 }, (_, i) => view.getFloat64(4 * HEADER_U32 + 8 * i, true));
  let at = 4 * HEADER_U32 + 8 * HEADER_F64;
  const take = (len: number): number => ((at += 4 * len), at - 4 * len);
  const f32 = (len: number): Float32Array => new Float32Array(buf, take(len), len);
  const u32 = (len: number): Uint32Array => new Uint32Array(buf, take(len), len);
  const coarse = matrix(f32(kc! * dim!), dim!, backend);
  const coarseFine = u32(kc! + 1);
  const fine = matrix(f32(kf! * dim!), dim!, backend);
  const fineParent = Int32Array.from(u32(kf!));
  const fineRows = u32(kf! + 1);
  const ids = u32(n!);
  const data = f32(n! * dim!);
  checkOffsets(coarseFine, kf!, fineParent);
  checkOffsets(fineRows, n!);
  const itemFine = new Int32Array(n!);
  for (let f = 0; f < kf!; f++) itemFine.fill(f, fineRows[f]!, fineRows[f + 1]!);
  const baseline: ClusterBaseline = { items: f64[3]!, fineImbalance: f64[4]!, coarseImbalance: f64[5]! };
  const state = layoutState({ points: { data, dim: dim! }, ids, itemFine, fine, fineParent, coarse, baseline });
  const options = Object.fromEntries(PERSISTED_OPTIONS.map((k, i) => [k, f64[6 + i]!])) as PersistedOptions;
  return { state, thresholds: { temperature: f64[0]!, logTauCoarse: f64[1]!, logTauFine: f64[2]! }, options };
}

function matrix(data: Float32Array, dim: number, backend: KernelBackend | undefined): RowMatrix {
  const m = new RowMatrix(dim, data.length / dim, backend);
  m.append(data, 0, data.length / dim);
  return m;
}

/** Offsets must start at 0, never decrease, and end at `total`; parents must match the coarse ranges. */
function checkOffsets(offsets: Uint32Array, total: number, parents?: Int32Array): void {
  const ok = offsets[0] === 0 && offsets[offsets.length - 1] === total && offsets.every((v, i) => i === 0 || v >= offsets[i - 1]!);
  if (!ok) throw new IndexFormatError('index offsets are corrupt');
  if (!parents) return;
  for (let c = 0; c + 1 < offsets.length; c++) {
    for (let f = offsets[c]!; f < offsets[c + 1]!; f++) if (parents[f] !== c) throw new IndexFormatError('index parents are corrupt');
  }
}

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('cluster index serialisation needs a little-endian platform');
}
