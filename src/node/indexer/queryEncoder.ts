/**
 * The query side of an index encoder: how stored rows become search vectors and how a query is encoded
 * the same way. Hashed: rows are weighted by the stored IDF and L2-normalised, queries likewise. Dense
 * (ONNX): rows are already unit vectors; the query goes through the same model.
 */
import type { CancellationToken } from '../../common/cancellation.ts';
import type { HashedEncoder } from '../../common/encode/hashedEncoder.ts';
import type { IdfTable } from '../../common/encode/idfTable.ts';
import { encodeRows, type IndexEncoder } from './indexEncoder.ts';

export interface QueryEncoder {
  readonly id: string;
  readonly dim: number;
  /** The IDF-weighted hashed encoder; undefined for a dense encoder. */
  readonly hashed: HashedEncoder | undefined;
  /** Search vectors of the stored rows (row i of the result belongs to row i of `rows`). */
  searchVectors(rows: Float32Array): Float32Array;
  /** Query vectors, one row per text; a text without usable tokens gives a zero row. */
  encode(texts: readonly string[], token?: CancellationToken): Promise<Float32Array>;
}

export function queryEncoderFor(e: IndexEncoder, idf: IdfTable | null): QueryEncoder {
  if (e.kind === 'dense') {
    return { id: e.id, dim: e.dim, hashed: undefined, searchVectors: (rows) => rows, encode: (texts, token) => encodeRows(e, texts, token) };
  }
  const hashed = e.hashed.withIdf(idf ?? undefined);
  return {
    id: e.id, dim: e.dim, hashed,
    searchVectors: (rows) => hashed.weightRows(rows),
    encode: async (texts) => hashed.encodeMatrix(texts),
  };
}
