/**
 * Retrieved chunks alone, compressed into a character budget and rendered as one block (ascending score,
 * best last) with its `ContextReport`: the drop-in replacement of the interim `buildRepoContext` for
 * surfaces that still build the rest of their prompt themselves.
 */
import { CHARS_PER_TOKEN, estimateTokens } from '../chunk/estimateTokens.ts';
import { compressContext } from '../compress/compress.ts';
import type { LineRange, PieceFormatter, ScoredChunk, TokenCounter } from '../compress/compressTypes.ts';
import { contextItems } from '../compress/contextItems.ts';
import type { ContextReport, ContextSurface } from '../protocol/contextReport.ts';
import { pieceHeader } from './commentSyntax.ts';
import { markdownPiece } from './templates.ts';

export interface RetrievedContextOptions {
  readonly surface: ContextSurface;
  readonly query: string;
  readonly budgetChars: number;
  /** `comment`: `// path:start-end` headers (code prompts); `markdown`: fenced blocks (chat). */
  readonly style: 'comment' | 'markdown';
  /** Lines already in the prompt (the cursor window). */
  readonly exclude?: LineRange;
  readonly note?: string;
  /** Counts the budget in model tokens instead of estimated ones (the budget is then budgetChars / 3.5 tokens). */
  readonly countTokens?: TokenCounter;
  readonly createdAt: number;
}

const commentStyle: PieceFormatter = (s, body) => `${pieceHeader(s.language, s.path, s, s.symbolPath)}\n${body.endsWith('\n') ? body : `${body}\n`}`;

export function buildRetrievedContext(candidates: readonly ScoredChunk[], o: RetrievedContextOptions): { text: string; report: ContextReport } {
  const result = compressContext(candidates, {
    budget: Math.floor(o.budgetChars / CHARS_PER_TOKEN),
    countTokens: o.countTokens ?? estimateTokens,
    formatPiece: o.style === 'comment' ? commentStyle : markdownPiece,
    ...(o.exclude ? { exclude: [o.exclude] } : {}),
  });
  const pieces = [...result.pieces].reverse();
  const report: ContextReport = {
    surface: o.surface, query: o.query, budgetChars: o.budgetChars,
    usedChars: pieces.reduce((n, p) => n + p.text.length, 0),
    items: contextItems(result.decisions), createdAt: o.createdAt,
    ...(o.note ? { note: o.note } : {}),
  };
  return { text: pieces.map((p) => p.text).join('\n'), report };
}
