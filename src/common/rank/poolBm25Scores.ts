/**
 * Okapi BM25 (k1 1.2, b 0.75) of each candidate text for a query, computed over the candidate pool alone
 * but with the repository's document frequencies (`TermStatistics`): the pool's own frequencies would
 * count the query's words as common, since the pool was retrieved for them. Document lengths are the
 * candidates' token counts, normalised by the pool's mean. Tokens are the hashed encoder's
 * (`codeTokens`), so the index's IDF table can supply the frequencies (`hashedTermStatistics`). Pure.
 */
import type { CancellationToken } from '../cancellation.ts';
import { throwIfCancelled } from '../cancellation.ts';
import { codeTokens, countTokens } from '../encode/codeTokens.ts';

export interface TermStatistics {
  /** Documents (chunks) counted. */
  readonly docCount: number;
  /** Documents holding `token` (a `codeTokens` token), at most `docCount`. */
  documentFrequency(token: string): number;
}

export interface Bm25Parameters {
  readonly k1?: number;
  readonly b?: number;
}

/** Smoothed non-negative IDF `ln(1 + (N − df + 0.5) / (df + 0.5))`, as the eval's BM25 baseline. */
export function bm25Idf(docCount: number, df: number): number {
  const d = Math.min(Math.max(0, df), docCount);
  return Math.log(1 + (docCount - d + 0.5) / (d + 0.5));
}

/**
 * A query term's share of a document's score: `idf · tf·(k1+1) / (tf + k1·(1 − b + b·lengthRatio))`,
 * `lengthRatio` = the document's length over the mean length.
 */
export function bm25TermWeight(tf: number, idf: number, lengthRatio: number, k1: number, b: number): number {
  return idf * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + b * lengthRatio)));
}

/** One score per text (0 when it shares no token with the query). */
export function poolBm25Scores(texts: readonly string[], query: string, stats: TermStatistics, o: Bm25Parameters & { readonly token?: CancellationToken } = {}): number[] {
  const k1 = o.k1 ?? 1.2;
  const b = o.b ?? 0.75;
  const docs = texts.map((t) => {
    throwIfCancelled(o.token);
    const tokens = codeTokens(t);
    return { counts: countTokens(tokens), length: tokens.length };
  });
  const mean = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, docs.length) || 1;
  const terms = [...new Set(codeTokens(query))].map((t) => ({ t, idf: bm25Idf(stats.docCount, stats.documentFrequency(t)) }));
  return docs.map(({ counts, length }) => {
    let score = 0;
    for (const { t, idf } of terms) {
      const tf = counts.get(t);
      if (tf) score += bm25TermWeight(tf, idf, length / mean, k1, b);
    }
    return score;
  });
}
