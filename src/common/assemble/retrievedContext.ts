/**
 * Retrieved chunks alone, fitted into a character budget and rendered as one block (ascending score,
 * best last) with its `ContextReport`: the drop-in replacement of the interim `buildRepoContext` for
 * surfaces that still build the rest of their prompt themselves. With the text before the cursor
 * (`prefix`, code completion) chunks are reranked by the names near the cursor (`withCursorNameScores`), then
 * packed by rank and thinned to what the prompt does not show yet (`packNovel`); without it (chat) they are
 * compressed by detail level (`compressContext`).
 */
import { CHARS_PER_TOKEN, estimateTokens } from '../chunk/estimateTokens.ts';
import { compressContext } from '../compress/compress.ts';
import type { CompressDecision, LineRange, PieceFormatter, ScoredChunk, TokenCounter } from '../compress/compressTypes.ts';
import { contextItems } from '../compress/contextItems.ts';
import type { ContextReport, ContextSurface } from '../protocol/contextReport.ts';
import { pieceHeader } from './commentSyntax.ts';
import { withCursorNameScores } from '../rank/rerankByCursorNames.ts';
import { novelContext } from './novelContext.ts';
import { markdownPiece } from './templates.ts';

export interface RetrievedContextOptions {
  readonly surface: ContextSurface;
  readonly query: string;
  readonly budgetChars: number;
  /** `comment`: `// path:start-end` headers (code prompts); `markdown`: fenced blocks (chat). */
  readonly style: 'comment' | 'markdown';
  /** Lines already in the prompt (the cursor window). */
  readonly exclude?: LineRange;
  /** The prompt's text before the cursor (code completion): packs by rank, thinned against it (`packNovel`). */
  readonly prefix?: string;
  /** The text from the cursor on: the names of its first lines also rerank the chunks (`cursorNameWeights`). */
  readonly suffix?: string;
  readonly note?: string;
  /** Counts the budget in model tokens instead of estimated ones (the budget is then budgetChars / 3.5 tokens). */
  readonly countTokens?: TokenCounter;
  readonly createdAt: number;
}

const commentStyle: PieceFormatter = (s, body) => `${pieceHeader(s.language, s.path, s, s.symbolPath)}\n${body.endsWith('\n') ? body : `${body}\n`}`;

export function buildRetrievedContext(candidates: readonly ScoredChunk[], o: RetrievedContextOptions): { text: string; report: ContextReport } {
  const fit = {
    budget: Math.floor(o.budgetChars / CHARS_PER_TOKEN),
    countTokens: o.countTokens ?? estimateTokens,
    formatPiece: o.style === 'comment' ? commentStyle : markdownPiece,
    ...(o.exclude ? { exclude: [o.exclude] } : {}),
  };
  if (o.prefix !== undefined) {
    const reranked = withCursorNameScores(candidates, o.prefix, o.suffix !== undefined ? { after: o.suffix } : {});
    const novel = novelContext(reranked, { ...fit, prefix: o.prefix });
    return finish(novel.texts, novel.decisions, o);
  }
  const result = compressContext(candidates, fit);
  return finish(result.pieces.map((p) => p.text), result.decisions, o);
}

/** Best-first texts laid out best last, with the report of every decision. */
function finish(bestFirst: readonly string[], decisions: readonly CompressDecision[], o: RetrievedContextOptions): { text: string; report: ContextReport } {
  const texts = [...bestFirst].reverse();
  const report: ContextReport = {
    surface: o.surface, query: o.query, budgetChars: o.budgetChars,
    usedChars: texts.reduce((n, t) => n + t.length, 0),
    items: contextItems(decisions), createdAt: o.createdAt,
    ...(o.note ? { note: o.note } : {}),
  };
  return { text: texts.join('\n'), report };
}
