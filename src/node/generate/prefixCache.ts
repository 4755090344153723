import { commonPrefixLength } from '../../common/generate/prefixMatch.ts';
import { bytesPerToken, KvCache } from './kvCache.ts';
import type { KvLayout } from './kvCache.ts';

/** Tokens whose keys and values are in `kv`, with their position ids. Invariant: kv.length === ids.length. */
export interface CachedSequence {
  readonly ids: number[];
  readonly positions: number[];
  kv: KvCache;
}

/**
 * Keeps the KV cache of the last sequence run through the model (prompt and generated tokens), so the next
 * request prefills only what differs. A token is reusable only with the same id at the same position.
 */
export class PrefixCache {
  private seq: CachedSequence;
  private readonly layout: KvLayout;

  constructor(layout: KvLayout) {
    this.layout = layout;
    this.seq = { ids: [], positions: [], kv: KvCache.empty(layout) };
  }

  get tokens(): number {
    return this.seq.ids.length;
  }

  get bytes(): number {
    return this.seq.kv.bytes;
  }

  /**
   * Hands the cached sequence to a new request, cut to its longest common prefix with the prompt, and at most
   * `prompt.length - 1` tokens so the last prompt token is always run (its logits give the first token).
   * The returned object stays the cache's own: the request extends it in place as it runs.
   */
  take(prompt: { ids: readonly number[]; positions: readonly number[] }): { reused: number; seq: CachedSequence } {
    const reused = Math.min(commonPrefixLength(this.seq, prompt), prompt.ids.length - 1);
    const seq = this.seq;
    seq.ids.length = reused;
    seq.positions.length = reused;
    seq.kv = seq.kv.truncate(reused);
    return { reused, seq };
  }

  /** Keeps at most `maxBytes` of cache (a prefix of the sequence); 0 keeps nothing. */
  bound(maxBytes: number): void {
    const keep = Math.max(0, Math.floor(maxBytes / bytesPerToken(this.layout)));
    if (keep >= this.seq.ids.length) return;
    this.seq.ids.length = keep;
    this.seq.positions.length = keep;
    this.seq.kv = this.seq.kv.truncate(keep);
  }

  clear(): void {
    this.seq = { ids: [], positions: [], kv: KvCache.empty(this.layout) };
  }
}
