/**
 * Merges kept chunks that are adjacent in one file and kept at the same level into one piece with one
 * header. A merge is accepted only when the merged piece costs no more tokens than its parts, so merging
 * can never push compression over its budget.
 */
import type { CompressedPiece, PieceFormatter, PieceSource, ScoredChunk, TokenCounter } from './compressTypes.ts';
import type { LevelOption } from './levelOptions.ts';

export interface KeptUnit {
  readonly index: number;
  readonly candidate: ScoredChunk;
  readonly option: LevelOption;
  readonly source: PieceSource;
}

interface Run {
  readonly last: KeptUnit;
  readonly body: string;
  readonly piece: CompressedPiece;
}

function adjacent(a: KeptUnit, b: KeptUnit): boolean {
  const x = a.candidate.chunk;
  const y = b.candidate.chunk;
  return x.path === y.path && a.option.level === b.option.level
    && (x.span.end === y.span.start || x.endLine + 1 === y.startLine);
}

function single(u: KeptUnit): Run {
  const piece: CompressedPiece = { source: u.source, level: u.option.level, score: u.candidate.score, text: u.option.text, tokens: u.option.tokens };
  return { last: u, body: u.option.body, piece };
}

function tryMerge(run: Run, next: KeptUnit, io: { countTokens: TokenCounter; formatPiece: PieceFormatter }): Run | undefined {
  const body = `${run.body}${run.body.endsWith('\n') ? '' : '\n'}${next.option.body}`;
  const source: PieceSource = { ...run.piece.source, endLine: next.source.endLine };
  const text = io.formatPiece(source, body);
  const tokens = io.countTokens(text);
  if (tokens > run.piece.tokens + next.option.tokens) return undefined;
  const score = Math.max(run.piece.score, next.candidate.score);
  return { last: next, body, piece: { source, level: run.piece.level, score, text, tokens } };
}

/** Pieces after merging, and the candidate indexes that were merged into the piece of the chunk above. */
export function mergeAdjacent(
  kept: readonly KeptUnit[],
  io: { countTokens: TokenCounter; formatPiece: PieceFormatter },
): { pieces: CompressedPiece[]; mergedInto: Set<number> } {
  const sorted = [...kept].sort((a, b) => (a.source.path < b.source.path ? -1 : a.source.path > b.source.path ? 1 : 0)
    || a.source.startLine - b.source.startLine || a.index - b.index);
  const pieces: CompressedPiece[] = [];
  const mergedInto = new Set<number>();
  let run: Run | undefined;
  for (const u of sorted) {
    const merged = run && adjacent(run.last, u) ? tryMerge(run, u, io) : undefined;
    if (merged) {
      mergedInto.add(u.index);
      run = merged;
      continue;
    }
    if (run) pieces.push(run.piece);
    run = single(u);
  }
  if (run) pieces.push(run.piece);
  return { pieces, mergedInto };
}
