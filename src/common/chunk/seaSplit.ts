/**
 * SEA-style split of a parsed file into pieces, then grouping of the pieces into chunks that tile it.
 *
 * Split points are the starts of non-leaf, non-comment nodes down to `maxDepth` (the root's children are
 * depth 1; the `body` container of a node does not add a level, so the members of a class inside a
 * namespace are still reached). A point moves up to the comments directly above its node, then to the
 * start of its line. Points are kept shallowest first, each more than `minLineGap` lines away from every
 * kept point (line 0 is always a piece start). Pieces run from one kept point to the next; pieces that
 * only close a block join the piece before; pieces over the budget are split at line boundaries.
 */
import type { Span } from './chunk.ts';
import { maxCharsForTokens } from './estimateTokens.ts';
import { DEFAULT_CHUNK_TOKENS, linePieces } from './lineChunker.ts';
import { LineIndex } from './lineIndex.ts';
import { groupPieces, type Piece } from './pieceGrouping.ts';

/** The part of a tree-sitter node this module reads; web-tree-sitter's `Node` satisfies it. */
export interface SyntaxNodeLike {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly childCount: number;
  readonly children: readonly (SyntaxNodeLike | null)[];
  childForFieldName?(fieldName: string): SyntaxNodeLike | null;
}

export interface SeaSplitOptions {
  readonly budgetTokens?: number;
  readonly maxDepth?: number;
  readonly minLineGap?: number;
  /** Node types that are comments (never split points; attached to the node below them). */
  readonly commentTypes?: Iterable<string>;
  readonly lines?: LineIndex;
}

export interface SeaSplit {
  /** Kept split offsets (line starts), ascending; offset 0 is implicit. */
  readonly points: readonly number[];
  readonly pieces: readonly Piece[];
  /** Spans that tile the text. */
  readonly chunks: readonly Span[];
}

/** Rank added to line boundaries inside an oversized piece, so that syntax boundaries win. */
const LINE_RANK_OFFSET = 10;
const WORD = /[\p{L}\p{N}_$]/gu;

function hasWord(text: string, span: Span): boolean {
  WORD.lastIndex = span.start;
  const m = WORD.exec(text);
  return m !== null && m.index < span.end;
}

interface Walk {
  readonly text: string;
  readonly lines: LineIndex;
  readonly comments: ReadonlySet<string>;
  readonly maxDepth: number;
  /** 0-based line → shallowest depth of a node starting there. */
  readonly candidates: Map<number, number>;
}

function isBody(child: SyntaxNodeLike, body: SyntaxNodeLike | null): boolean {
  return body !== null && child.startIndex === body.startIndex && child.endIndex === body.endIndex && child.type === body.type;
}

/** Start of `children[i]`, moved up over comments that sit on their own lines directly above it. */
function attachedStart(w: Walk, children: readonly (SyntaxNodeLike | null)[], i: number): number {
  let start = children[i]?.startIndex ?? 0;
  for (let j = i - 1; j >= 0; j--) {
    const c = children[j];
    if (c === null || c === undefined || !w.comments.has(c.type)) break;
    const gapLines = w.lines.lineOf(start) - w.lines.lineOf(Math.max(c.startIndex, c.endIndex - 1));
    const ownLine = w.text.slice(w.lines.lineStartOf(c.startIndex), c.startIndex).trim() === '';
    if (gapLines > 1 || !ownLine) break;
    start = c.startIndex;
  }
  return start;
}

function visit(w: Walk, node: SyntaxNodeLike, depth: number): void {
  const children = node.children;
  const body = depth > 0 && node.childForFieldName ? node.childForFieldName('body') : null;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (child === null || child === undefined || child.childCount === 0 || w.comments.has(child.type)) continue;
    const d = depth > 0 && isBody(child, body) ? depth : depth + 1;
    const line = w.lines.lineOf(attachedStart(w, children, i));
    const known = w.candidates.get(line);
    if (known === undefined || d < known) w.candidates.set(line, d);
    if (d < w.maxDepth) visit(w, child, d);
  }
}

/** Keeps candidate lines shallowest first, each more than `gap` lines from every kept line. */
function keepPoints(candidates: Map<number, number>, lineCount: number, gap: number): Map<number, number> {
  const order = [...candidates].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const blocked = new Uint8Array(lineCount + 1);
  const kept = new Map<number, number>();
  const block = (line: number) => blocked.fill(1, Math.max(0, line - gap), Math.min(lineCount, line + gap + 1));
  block(0);
  for (const [line, depth] of order) {
    if (blocked[line] === 1) continue;
    kept.set(line, depth);
    block(line);
  }
  return kept;
}

/** Pieces between kept points; a piece without a word character (a lone `}`) joins the piece before. */
function piecesFrom(text: string, lines: LineIndex, kept: Map<number, number>): Piece[] {
  const starts = [...kept.keys()].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  let cur: Piece = { start: 0, end: text.length, depth: 0 };
  for (const line of starts) {
    const offset = lines.lineStart(line);
    if (offset <= cur.start || offset >= text.length) continue;
    const next: Piece = { start: offset, end: text.length, depth: kept.get(line) ?? 0 };
    pieces.push({ ...cur, end: offset });
    cur = next;
  }
  pieces.push(cur);
  const merged: Piece[] = [];
  for (const p of pieces) {
    const prev = merged[merged.length - 1];
    if (prev !== undefined && !hasWord(text, p)) merged[merged.length - 1] = { ...prev, end: p.end };
    else merged.push(p);
  }
  return merged;
}

/** Replaces each piece over `maxChars` by its lines (ranked below every syntax boundary). */
function splitOversized(text: string, pieces: readonly Piece[], maxChars: number): Piece[] {
  return pieces.flatMap((p) =>
    p.end - p.start <= maxChars ? [p] : linePieces(text, p, { firstDepth: p.depth, rankOffset: LINE_RANK_OFFSET }),
  );
}

/** Splits a parsed file into SEA pieces and groups them into chunks of at most `budgetTokens` (lines are never cut). */
export function seaSplit(root: SyntaxNodeLike, text: string, options: SeaSplitOptions = {}): SeaSplit {
  if (text.length === 0) return { points: [], pieces: [], chunks: [] };
  const lines = options.lines ?? new LineIndex(text);
  const budget = options.budgetTokens ?? DEFAULT_CHUNK_TOKENS;
  const walk: Walk = {
    text,
    lines,
    comments: new Set(options.commentTypes ?? ['comment']),
    maxDepth: options.maxDepth ?? 4,
    candidates: new Map(),
  };
  visit(walk, root, 0);
  const kept = keepPoints(walk.candidates, lines.lineCount, options.minLineGap ?? 3);
  const seaPieces = piecesFrom(text, lines, kept);
  const pieces = splitOversized(text, seaPieces, maxCharsForTokens(budget));
  return { points: seaPieces.slice(1).map((p) => p.start), pieces, chunks: groupPieces(pieces, budget) };
}
