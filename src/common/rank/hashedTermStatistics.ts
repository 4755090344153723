/**
 * Term statistics from a hashed encoder's IDF table (the index keeps one, fitted on its chunks): a token's
 * document frequency is its bucket's, so colliding tokens share one (over-counted, never under). The
 * bucket is the one `HashedEncoder.termVector` puts the token in (`hashedBucket`). Pure.
 */
import { hashedBucket } from '../encode/hashedEncoder.ts';
import type { IdfTable } from '../encode/idfTable.ts';
import type { TermStatistics } from './poolBm25Scores.ts';

export function hashedTermStatistics(table: IdfTable): TermStatistics {
  return {
    docCount: table.docCount,
    documentFrequency: (token) => table.df[hashedBucket(token, table.dim)] ?? 0,
  };
}
