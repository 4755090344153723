/**
 * Term statistics from a hashed encoder's IDF table (the index keeps one, fitted on its chunks): a token's
 * document frequency is its bucket's, so colliding tokens share one (over-counted, never under). The
 * bucket is the one `HashedEncoder.termVector` puts the token in (checked by the unit test). Pure.
 */
import { murmur3 } from '../encode/hash32.ts';
import type { IdfTable } from '../encode/idfTable.ts';
import type { TermStatistics } from './poolBm25Scores.ts';

/** `HashedEncoder`'s bucket seed (hashedEncoder.ts, HASHED_ENCODER_VERSION 1). */
const BUCKET_SEED = 0x9e3779b1;

export function hashedBucket(token: string, dim: number): number {
  return murmur3(token, BUCKET_SEED) % dim;
}

export function hashedTermStatistics(table: IdfTable): TermStatistics {
  return {
    docCount: table.docCount,
    documentFrequency: (token) => table.df[hashedBucket(token, table.dim)] ?? 0,
  };
}
