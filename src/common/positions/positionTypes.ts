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
  /** `grouped`: tokens at the end kept at exact positions (default half the context). */
  readonly neighbourWindow?: number;
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
  /** `grouped`: the group size G and how many leading tokens were grouped. */
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
