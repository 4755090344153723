/**
 * The encoder an index is built with, as the store and search need it: the built-in hashed encoder stores
 * term rows and weights them by the stored IDF at search time; a dense encoder (the ONNX encoder,
 * `--encoder <dir>` / `squeeze.models.encoderPath`) stores final unit vectors and has no IDF.
 */
import type { CancellationToken } from '../../common/cancellation.ts';
import type { Encoder } from '../../common/encode/encoder.ts';
import type { HashedEncoder } from '../../common/encode/hashedEncoder.ts';

/** A dense encoder the index owns for one run or one search session (`dispose` stops its worker). */
export interface DenseEncoder extends Encoder {
  dispose?(): Promise<void>;
}

export type IndexEncoder =
  | { readonly kind: 'hashed'; readonly id: string; readonly dim: number; readonly hashed: HashedEncoder }
  | { readonly kind: 'dense'; readonly id: string; readonly dim: number; readonly dense: DenseEncoder };

export function hashedIndexEncoder(hashed: HashedEncoder): IndexEncoder {
  return { kind: 'hashed', id: hashed.id, dim: hashed.dim, hashed };
}

export function denseIndexEncoder(dense: DenseEncoder): IndexEncoder {
  return { kind: 'dense', id: dense.id, dim: dense.dim, dense };
}

/** The stored rows of `texts`, one per text: term counts (hashed) or unit vectors (dense). */
export async function encodeRows(e: IndexEncoder, texts: readonly string[], token?: CancellationToken): Promise<Float32Array> {
  if (e.kind === 'hashed') return e.hashed.termMatrix(texts);
  const out = new Float32Array(texts.length * e.dim);
  if (texts.length === 0) return out;
  const vectors = await e.dense.encode(texts, token);
  vectors.forEach((v, i) => out.set(v, i * e.dim));
  return out;
}
