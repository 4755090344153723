import type { TokenRange } from './independentRanges.ts';
import type { DraftSource, PromptLookupOptions } from './promptLookup.ts';

/** A tokenized prompt. `positions` are the RoPE position ids the assembler chose (sequential from 0 if omitted). */
export interface GenerateRequest {
  readonly ids: readonly number[];
  readonly positions?: readonly number[];
  /**
   * Chunks encoded on their own (the `parallel` policy): each range's KV comes from the decoder's chunk cache
   * (prefilled once at position 0, re-rotated to the range's first position), not from a pass over the prefix.
   */
  readonly independent?: readonly TokenRange[];
}

export interface GenerateOptions {
  /** Most tokens to generate (default 128). */
  readonly maxTokens?: number;
  /** 0 (default) is greedy. */
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  /** Seed of the sampling generator (sampling only); the same seed gives the same output. */
  readonly seed?: number;
  /** Text that ends the generation; the returned text stops before it. */
  readonly stop?: readonly string[];
  /** Token ids that end the generation, in addition to the model's eos ids. */
  readonly stopTokenIds?: readonly number[];
  /**
   * Speculative decoding (default on; greedy output is the same with or without it). Drafts come from prompt
   * lookup unless `draft` supplies another source (a draft model, or a benchmark's adversarial drafts).
   */
  readonly speculative?: boolean | (Partial<PromptLookupOptions> & { readonly draft?: DraftSource });
  /** Called for every generated token, in order, with the text it made safe to show (may be ''). */
  readonly onToken?: (event: TokenEvent) => void;
}

/** One generated token and the text it made safe to show; a last event without `tokenId` flushes held text. */
export interface TokenEvent {
  readonly tokenId?: number;
  readonly text: string;
}

export type FinishReason = 'eos' | 'stop' | 'length';

export interface GenerateStats {
  /** Execution provider the session runs on ('http' for remote backends). */
  readonly provider: string;
  readonly promptTokens: number;
  /** Prompt tokens whose KV cache came from the previous request. */
  readonly reusedTokens: number;
  /**
   * Prompt tokens run through the model now: promptTokens - reusedTokens - chunkCacheTokens (a chunk missing
   * from the chunk cache is prefilled once, at position 0, and counted here).
   */
  readonly prefillTokens: number;
  /** Prompt tokens of independent chunks whose KV came from the chunk cache (re-rotated, not run). */
  readonly chunkCacheTokens?: number;
  readonly prefillMs: number;
  /** From the call to the first generated token. */
  readonly timeToFirstTokenMs: number;
  readonly generatedTokens: number;
  /** From the first generated token to the last. */
  readonly decodeMs: number;
  readonly forwardPasses: number;
  readonly draftedTokens: number;
  readonly acceptedDraftTokens: number;
  readonly prefillTokensPerSecond: number;
  readonly decodeTokensPerSecond: number;
}

export interface GenerateResult {
  readonly tokenIds: readonly number[];
  readonly text: string;
  readonly finishReason: FinishReason;
  readonly stats: GenerateStats;
}

function rate(tokens: number, ms: number): number {
  return ms > 0 ? (tokens * 1000) / ms : 0;
}

/** Fills in the derived rates. Decode speed counts tokens after the first (that one comes from prefill). */
export function finishStats(s: Omit<GenerateStats, 'prefillTokensPerSecond' | 'decodeTokensPerSecond'>): GenerateStats {
  return {
    ...s,
    prefillTokensPerSecond: rate(s.prefillTokens, s.prefillMs),
    decodeTokensPerSecond: rate(Math.max(0, s.generatedTokens - 1), s.decodeMs),
  };
}

/** Human-readable stats, one `name: value` per line (CLI `--stats`). */
export function formatStats(s: GenerateStats): string {
  const acceptance = s.draftedTokens > 0 ? ` (${((100 * s.acceptedDraftTokens) / s.draftedTokens).toFixed(0)}%)` : '';
  const rows: [string, string][] = [
    ['provider', s.provider],
    ['prompt tokens', `${s.promptTokens} (${s.reusedTokens} reused from cache, ${s.chunkCacheTokens ? `${s.chunkCacheTokens} from the chunk cache, ` : ''}${s.prefillTokens} prefilled)`],
    ['time to first token', `${s.timeToFirstTokenMs.toFixed(1)} ms`],
    ['prefill', `${s.prefillTokensPerSecond.toFixed(1)} tok/s (${s.prefillMs.toFixed(1)} ms)`],
    ['decode', `${s.decodeTokensPerSecond.toFixed(1)} tok/s (${s.generatedTokens} tokens, ${s.decodeMs.toFixed(1)} ms)`],
    ['forward passes', String(s.forwardPasses)],
    ['draft tokens accepted', `${s.acceptedDraftTokens}/${s.draftedTokens}${acceptance}`],
  ];
  return rows.map(([k, v]) => `${k}: ${v}`).join('\n');
}
