/** Types of position remapping: segments with token ids in, position ids per token out. */
export type PositionPolicy = 'sequential' | 'grouped' | 'parallel';

export interface TokenSegment {
  /** Segment kind from the assembler (`chunk` segments are the ones `parallel` places side by side). */
  readonly kind: string;
  readonly ids: readonly number[];
}

export interface PositionOptions {
  /** Default 'auto': sequential when it fits, else parallel when that fits, else grouped. */
  readonly policy?: PositionPolicy | 'auto';
  /** Trained context length: every position, generated tokens included, must stay below it. */
  readonly contextLength: number;
  /** Tokens to be generated after the prompt (default 0). */
  readonly reserve?: number;
  /** `grouped`: about this many tokens at the end (whole segments, at least the last) continue exactly after the far ones (default half the context). */
  readonly neighbourWindow?: number;
  /**
   * `parallel`: the text after the chunks starts at the base plus the longest chunk rounded up to a multiple of this
   * (default 1), so its positions stay put while the chunks change a little (a layout that reuses the window's cache).
   */
  readonly spanStep?: number;
  /** `auto`: take `parallel` whenever it fits (a chunk KV cache is warm), not only when sequential does not. */
  readonly preferParallel?: boolean;
}

export interface PositionedSegment {
  readonly kind: string;
  readonly ids: readonly number[];
  readonly positions: readonly number[];
}

export interface PositionPlan {
  readonly policy: PositionPolicy;
  readonly segments: readonly PositionedSegment[];
  /** Highest position used by the prompt, -1 when empty. */
  readonly maxPosition: number;
  /** Position of the first generated token. */
  readonly nextPosition: number;
  /** `grouped`: the group size G of far segment bases, and how many tokens the far segments hold. */
  readonly groupSize?: number;
  readonly groupedTokens?: number;
  /** `parallel`: the shared base position of every chunk. */
  readonly base?: number;
}

export class PositionOverflowError extends Error {
  readonly policy: PositionPolicy;
  constructor(policy: PositionPolicy, message: string) {
    super(`${policy}: ${message}`);
    this.name = 'PositionOverflowError';
    this.policy = policy;
  }
}
