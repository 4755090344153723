/** Types of prompt assembly: a request with everything that may go in, a list of segments out. */
import type { CompressDecision, ScoredChunk, TokenCounter } from '../compress/compressTypes.ts';
import type { FimStyle } from '../generate/fimStyles.ts';
import type { ChatTurn } from '../generate/chatFormat.ts';

export type PromptMode = 'completion' | 'chat' | 'question';

export type SegmentKind =
  | 'marker' | 'instructions' | 'history' | 'repo-map' | 'chunk' | 'open-file' | 'current-file' | 'current-suffix' | 'question';

export interface SegmentSource {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** One piece of the prompt. `marker` segments are one special token each (FIM markers). */
export interface Segment {
  readonly kind: SegmentKind;
  readonly text: string;
  readonly source?: SegmentSource;
  /** Retrieval score of a `chunk` segment. */
  readonly score?: number;
  /** Role of a `history` turn. */
  readonly role?: ChatTurn['role'];
}

export interface CursorContext {
  readonly path: string;
  readonly language: string;
  /** Text of the file before and after the cursor (already cut to a window or whole; trimmed here by lines). */
  readonly prefix: string;
  readonly suffix: string;
  /** 1-based line where `prefix` starts. */
  readonly startLine: number;
  /** Completion: the 1-based line the previous window of this file started at, kept while it fits (anchoredWindow.ts). */
  readonly anchorLine?: number;
}

export interface OpenFileSnippet {
  readonly path: string;
  readonly language: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
}

export interface AssembleRequest {
  readonly mode: PromptMode;
  /** Token budget of the whole prompt (every segment counted separately, markers 1 token each). */
  readonly budget: number;
  readonly countTokens?: TokenCounter;
  readonly cursor?: CursorContext;
  /** Open and recently edited files, most relevant first. */
  readonly openFiles?: readonly OpenFileSnippet[];
  /** Retrieved chunks with scores. */
  readonly candidates?: readonly ScoredChunk[];
  readonly repoMap?: string;
  /** Completion only: the model's fill-in-the-middle markers. */
  readonly fim?: FimStyle;
  /** Chat and question: the user's text, and earlier turns (oldest first). */
  readonly question?: string;
  readonly history?: readonly ChatTurn[];
  /** Replaces the default instructions of the mode ('' for none). */
  readonly instructions?: string;
  /** Most of the budget the cursor window may take (default 0.5) and open files (default 0.15). */
  readonly windowShare?: number;
  readonly openShare?: number;
}

export interface OpenFileDecision {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly tokens: number;
  readonly kept: boolean;
}

export interface AssembleResult {
  /** In prompt order. */
  readonly segments: readonly Segment[];
  /** Tokens of each segment, same order. */
  readonly segmentTokens: readonly number[];
  readonly usedTokens: number;
  readonly budget: number;
  readonly decisions: readonly CompressDecision[];
  readonly openFiles: readonly OpenFileDecision[];
  /** Lines of the cursor window cut off to fit (before, after). */
  readonly windowCut: { readonly before: number; readonly after: number };
}
