/**
 * Okapi BM25 (k1 = 1.2, b = 0.75) over pre-tokenised documents, with the smoothed non-negative IDF
 * `ln(1 + (N - df + 0.5) / (df + 0.5))`. Scores every document that shares a term with the query. The
 * weights are the completion ranking's (`bm25Idf`, `bm25TermWeight`), so the baseline and the pool BM25
 * of `ours+bm25` score a term alike.
 */
import { bm25Idf, bm25TermWeight } from '../rank/poolBm25Scores.ts';

export interface Bm25Options {
  readonly k1?: number;
  readonly b?: number;
}

export class Bm25Index {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: Float64Array;
  private readonly avgLength: number;
  private readonly k1: number;
  private readonly b: number;

  constructor(docs: readonly (readonly string[])[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.lengths = new Float64Array(docs.length);
    let total = 0;
    docs.forEach((tokens, doc) => {
      this.lengths[doc] = tokens.length;
      total += tokens.length;
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, tf] of counts) {
        const list = this.postings.get(term) ?? [];
        list.push({ doc, tf });
        this.postings.set(term, list);
      }
    });
    this.avgLength = docs.length > 0 ? total / docs.length : 0;
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Score per document (0 for documents sharing no term), for the distinct terms of the query. */
  scores(query: readonly string[]): Float64Array {
    const out = new Float64Array(this.lengths.length);
    const n = this.lengths.length;
    for (const term of new Set(query)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = bm25Idf(n, list.length);
      for (const { doc, tf } of list) {
        out[doc] = (out[doc] ?? 0) + bm25TermWeight(tf, idf, (this.lengths[doc] ?? 0) / (this.avgLength || 1), this.k1, this.b);
      }
    }
    return out;
  }
}

/** Indices of the `k` highest positive scores, best first (ties: lower index first). */
export function topIndices(scores: ArrayLike<number>, k: number, keep?: (i: number) => boolean): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if ((scores[i] ?? 0) > 0 && (!keep || keep(i))) idx.push(i);
  idx.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  return idx.slice(0, k);
}
