import { commonPrefixLength, type MatchedPrompt } from '../../common/generate/prefixMatch.ts';
import { bytesPerToken, KvCache } from './kvCache.ts';
import type { KvLayout } from './kvCache.ts';

/**
 * Tokens whose keys and values are in `kv`, with their position ids and attention starts (`from`, see
 * prefixMatch.ts). Invariant: kv.length === ids.length === positions.length === from.length.
 */
export interface CachedSequence {
  readonly ids: number[];
  readonly positions: number[];
  readonly from: number[];
  kv: KvCache;
}

/**
 * Keeps the KV cache of the last sequence run through the model (prompt and generated tokens), so the next
 * request prefills only what differs. A token is reusable only with the same id, position and attention start.
 */
export class PrefixCache {
  private seq: CachedSequence;
  private readonly layout: KvLayout;

  constructor(layout: KvLayout) {
    this.layout = layout;
    this.seq = { ids: [], positions: [], from: [], kv: KvCache.empty(layout) };
  }

  get tokens(): number {
    return this.seq.ids.length;
  }

  get bytes(): number {
    return this.seq.kv.bytes;
  }

  /**
   * Hands the cached sequence to a new request, cut to its longest common prefix with the prompt, and at most
   * `prompt.length - 1` tokens so the last prompt token is always run (its logits give the first token);
   * `align` may cut it further (to the start of a chunk the prefix would end inside).
   * The returned object stays the cache's own: the request extends it in place as it runs.
   */
  take(prompt: MatchedPrompt, align: (n: number) => number = (n) => n): { reused: number; seq: CachedSequence } {
    const reused = align(Math.min(commonPrefixLength(this.seq, prompt), prompt.ids.length - 1));
    this.cut(reused);
    return { reused, seq: this.seq };
  }

  /** Keeps at most `maxBytes` of cache (a prefix of the sequence); 0 keeps nothing. */
  bound(maxBytes: number): void {
    const keep = Math.max(0, Math.floor(maxBytes / bytesPerToken(this.layout)));
    if (keep < this.seq.ids.length) this.cut(keep);
  }

  clear(): void {
    this.seq = { ids: [], positions: [], from: [], kv: KvCache.empty(this.layout) };
  }

  private cut(length: number): void {
    const seq = this.seq;
    seq.ids.length = length;
    seq.positions.length = length;
    seq.from.length = length;
    seq.kv = seq.kv.truncate(length);
  }
}
