/** Types of context compression: scored candidates in, a detail level and a recorded decision per chunk out. */
import type { Chunk } from '../chunk/chunk.ts';

export type CompressLevel = 'full' | 'collapsed' | 'signature' | 'dropped';

export interface ScoredChunk {
  readonly chunk: Chunk;
  /** Retrieval score, higher is better (cosine similarity, attention mass, ...). Negative counts as 0. */
  readonly score: number;
  /** Optional per-line value of the chunk's full text (one entry per line), e.g. attention mass per line. */
  readonly lineMass?: readonly number[];
}

export type TokenCounter = (text: string) => number;

/** Where a piece came from: one chunk, or a run of adjacent chunks of one file after merging. */
export interface PieceSource {
  readonly path: string;
  readonly language: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly symbolPath: readonly string[];
}

/** Renders the exact text a piece takes in the prompt (header + body); its tokens are what the budget counts. */
export type PieceFormatter = (source: PieceSource, body: string) => string;

export interface LineRange {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
}

export interface CompressOptions {
  /** Token budget for all pieces together (sum of the counts of each piece's text). */
  readonly budget: number;
  /** Default `estimateTokens`. */
  readonly countTokens?: TokenCounter;
  /** Default: `path:start-end` on its own line, then the body. */
  readonly formatPiece?: PieceFormatter;
  /** Value kept at each level, as a share of the chunk's score (default full 1, collapsed 0.6, signature 0.3). */
  readonly retention?: Readonly<Record<Exclude<CompressLevel, 'dropped'>, number>>;
  /** Lines already in the prompt (the cursor window): chunks with at least half their lines in them are dropped. */
  readonly exclude?: readonly LineRange[];
  /** Full-level lines whose `lineMass` is below this are dropped (whole lines only). Default 0 (none). */
  readonly minLineMass?: number;
  /** Full-level lines are dropped lowest `lineMass` first while they hold at most this share of the chunk's mass (default 0). */
  readonly dropMassShare?: number;
}

/** What compression decided for one candidate, for the "context used" view. */
export interface CompressDecision {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly symbolPath: readonly string[];
  readonly score: number;
  readonly level: CompressLevel;
  /** Tokens of this chunk's own piece at its level, before merging (0 when dropped). */
  readonly tokens: number;
  /** Tokens of the piece at `full`, for comparison. */
  readonly fullTokens: number;
  readonly reason: string;
  /** Whole lines removed inside the kept text (blank runs, low-mass lines). */
  readonly droppedLines: number;
  /** Characters of its own piece at its level, before merging (0 when dropped). */
  readonly chars: number;
}

/** One piece of text to place in the prompt. */
export interface CompressedPiece {
  readonly source: PieceSource;
  readonly level: Exclude<CompressLevel, 'dropped'>;
  /** Highest score of the chunks it holds. */
  readonly score: number;
  readonly text: string;
  readonly tokens: number;
}

export interface CompressResult {
  /** Kept pieces, in descending score (ties: path, then line). */
  readonly pieces: readonly CompressedPiece[];
  /** One decision per candidate, in input order. */
  readonly decisions: readonly CompressDecision[];
  readonly usedTokens: number;
  readonly budget: number;
}
