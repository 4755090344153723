/**
 * Prompt-lookup drafting for speculative decoding. Code repeats itself (identifiers, argument lists, whole
 * lines copied from the prompt), so the tokens that followed an earlier occurrence of the last few tokens are
 * a cheap guess at what comes next. `findDraft` makes that guess; `DraftLength` adapts how many tokens to
 * guess from how many the model accepted recently.
 */
export interface PromptLookupOptions {
  /** Longest tail n-gram to look up (tried first). */
  readonly ngramMax: number;
  /** Shortest tail n-gram to look up. */
  readonly ngramMin: number;
  /** Draft length bounds and the starting length. */
  readonly minDraft: number;
  readonly maxDraft: number;
  readonly initialDraft: number;
  /** Only search the last this many tokens (bounds the cost per step on long prompts). */
  readonly window: number;
}

/** Proposes up to `maxTokens` next tokens after `tokens` (prompt + generated so far). */
export type DraftSource = (tokens: readonly number[], maxTokens: number) => number[];

export const DEFAULT_PROMPT_LOOKUP: PromptLookupOptions = {
  ngramMax: 3,
  ngramMin: 1,
  minDraft: 1,
  maxDraft: 8,
  initialDraft: 2,
  window: 8192,
};

function matchesAt(tokens: readonly number[], start: number, tail: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (tokens[start + j] !== tokens[tail + j]) return false;
  return true;
}

/**
 * Up to `maxTokens` tokens that followed the most recent earlier occurrence of the longest matching tail
 * n-gram of `tokens` (n from ngramMax down to ngramMin). Empty when nothing matches.
 */
export function findDraft(tokens: readonly number[], maxTokens: number, o: PromptLookupOptions): number[] {
  const len = tokens.length;
  if (maxTokens <= 0) return [];
  const lowest = Math.max(0, len - o.window);
  for (let n = Math.min(o.ngramMax, len - 1); n >= o.ngramMin && n >= 1; n--) {
    const tail = len - n;
    for (let start = tail - 1; start >= lowest; start--) {
      if (!matchesAt(tokens, start, tail, n)) continue;
      const from = start + n;
      return tokens.slice(from, Math.min(len, from + maxTokens));
    }
  }
  return [];
}

/**
 * Adaptive draft length: starts short, doubles after a fully accepted draft, drops to just past the accepted
 * prefix after a partial one. A draft with nothing accepted drops to the minimum length and pauses drafting
 * for a growing number of steps (2, 4, … 32), so that text that does not copy from the prompt costs almost
 * nothing; any accepted token ends the pause schedule. Each drafted token is one more row of the verify
 * pass, and every row pays the full vocabulary projection (152k columns on Qwen2.5-Coder), so failed
 * drafts are cut back at once rather than halved (bench:decode, docs/benchmarks.md).
 */
export class DraftLength {
  private length: number;
  private failures = 0;
  private pause = 0;
  private readonly o: PromptLookupOptions;

  constructor(o: PromptLookupOptions) {
    this.o = o;
    this.length = Math.min(o.maxDraft, Math.max(o.minDraft, o.initialDraft));
  }

  /** Tokens to draft this step: 0 while paused. Each call is one decoding step. */
  next(): number {
    if (this.pause > 0) {
      this.pause--;
      return 0;
    }
    return this.length;
  }

  /** Reports the outcome of a verified draft of `proposed` tokens. */
  record(proposed: number, accepted: number): void {
    if (accepted >= proposed) {
      this.length = Math.min(this.o.maxDraft, this.length * 2);
      this.failures = 0;
    } else if (accepted > 0) {
      this.length = Math.max(this.o.minDraft, accepted + 1);
      this.failures = 0;
    } else {
      this.length = this.o.minDraft;
      this.failures++;
      this.pause = Math.min(32, 2 ** this.failures);
    }
  }
}
