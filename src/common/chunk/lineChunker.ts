/**
 * The fallback chunker for files without a grammar (or whose parse failed): consecutive lines grouped up
 * to the token budget, cutting preferably after a blank line, then before a line that starts at column 0,
 * and least before a line that only closes a block. Lines are never cut; chunks tile the text.
 */
import type { Chunk, Span } from './chunk.ts';
import { buildChunks } from './chunkBuilder.ts';
import { LineIndex } from './lineIndex.ts';
import { groupPieces, type Piece } from './pieceGrouping.ts';

export const DEFAULT_CHUNK_TOKENS = 256;

/** Cut ranks for line boundaries (lower is preferred). */
const AFTER_BLANK = 1;
const AT_COLUMN_ZERO = 2;
const INSIDE = 3;
const BEFORE_CLOSER = 4;

const CLOSER = /^[ \t]*[}\])]+[;,)]*[ \t\r]*\n?$/;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 12 || code === 11;
}

/** True when text[start, end) holds only spaces, tabs and line ends. */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isSpace(c) && c !== 10) return false;
  }
  return true;
}

function lineEnd(text: string, start: number, end: number): number {
  const nl = text.indexOf('\n', start);
  return nl === -1 || nl >= end ? end : nl + 1;
}

/** Rank of a cut at the start of `line`, judged from the line before it and the line itself. */
function boundaryRank(text: string, prev: Span, line: Span): number {
  if (isBlank(text, prev.start, prev.end)) return AFTER_BLANK;
  const first = text.charCodeAt(line.start);
  if ((first === 125 || first === 93 || first === 41 || isSpace(first)) && line.end - line.start < 80) {
    if (CLOSER.test(text.slice(line.start, line.end))) return BEFORE_CLOSER;
  }
  return isSpace(first) || first === 10 ? INSIDE : AT_COLUMN_ZERO;
}

/**
 * One piece per line of text[start, end), ranked for cutting; `rankOffset` is added to every rank but the
 * first piece's, which keeps `firstDepth`.
 */
export function linePieces(text: string, range: Span, ranks: { firstDepth: number; rankOffset: number }): Piece[] {
  const pieces: Piece[] = [];
  let prev: Span | undefined;
  for (let s = range.start; s < range.end; ) {
    const line = { start: s, end: lineEnd(text, s, range.end) };
    const depth = prev === undefined ? ranks.firstDepth : ranks.rankOffset + boundaryRank(text, prev, line);
    pieces.push({ start: line.start, end: line.end, depth });
    prev = line;
    s = line.end;
  }
  return pieces;
}

/** Spans of line chunks that tile `text` (empty text gives none). */
export function lineChunkSpans(text: string, budgetTokens: number = DEFAULT_CHUNK_TOKENS): Span[] {
  const pieces = linePieces(text, { start: 0, end: text.length }, { firstDepth: 0, rankOffset: 0 });
  return groupPieces(pieces, budgetTokens);
}

export interface LineChunkInput {
  readonly path: string;
  readonly text: string;
  readonly language: string;
}

/** Chunks a file by lines (parser `'lines'`, no definitions, empty symbol paths). */
export function chunkByLines(input: LineChunkInput, budgetTokens: number = DEFAULT_CHUNK_TOKENS, lines?: LineIndex): Chunk[] {
  const spans = lineChunkSpans(input.text, budgetTokens);
  return buildChunks({ ...input, spans, definitions: [], parser: 'lines', lines: lines ?? new LineIndex(input.text) });
}
