/**
 * A tokenizer wrapper that remembers the ids of recent texts (least recently used first out). Completion
 * prompts repeat most of their text from one keystroke to the next (the same retrieved chunks, the same lines
 * of the window), so budgeting and per-segment tokenization mostly hit the cache. Ids are the wrapped
 * tokenizer's own: nothing is approximated.
 */
export interface TextTokenizer {
  encode(text: string): number[];
  tokenId(token: string): number | undefined;
}

export class CachedTokenizer implements TextTokenizer {
  readonly inner: TextTokenizer;
  readonly maxEntries: number;
  hits = 0;
  misses = 0;
  private readonly entries = new Map<string, readonly number[]>();

  constructor(inner: TextTokenizer, maxEntries = 8192) {
    this.inner = inner;
    this.maxEntries = Math.max(1, maxEntries);
  }

  encode(text: string): number[] {
    return [...this.lookup(text)];
  }

  /** Token count of `text`, through the same cache. */
  count(text: string): number {
    return this.lookup(text).length;
  }

  tokenId(token: string): number | undefined {
    return this.inner.tokenId(token);
  }

  private lookup(text: string): readonly number[] {
    const known = this.entries.get(text);
    if (known) {
      this.hits++;
      this.entries.delete(text);
      this.entries.set(text, known);
      return known;
    }
    this.misses++;
    const ids = this.inner.encode(text);
    this.entries.set(text, ids);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return ids;
  }
}
