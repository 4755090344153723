/**
 * The repository context of the editor surfaces, laid out best last, nearest the question or cursor, every
 * decision reported. Completions (given the text before the cursor) rerank chunks by the names near the
 * cursor (`common/rank/rerankByCursorNames`) and pack them by rank, each thinned to the lines the prompt
 * does not show yet (`common/assemble/packNovel`); chat compresses them by detail
 * level (`common/compress`: full, collapsed, signature or dropped, for retained score per token). Pure (no `vscode`).
 */
import type { Chunk } from '../../common/chunk/chunk.ts';
import { buildRetrievedContext } from '../../common/assemble/retrievedContext.ts';
import type { ContextReport, ContextSurface } from '../../common/protocol/contextReport.ts';
import type { RetrievedChunk } from '../services/repoSearch.ts';

export type ContextStyle = 'markdown' | 'comment';

export interface RepoContextOptions {
  readonly surface: ContextSurface;
  readonly query: string;
  readonly budgetChars: number;
  readonly style: ContextStyle;
  /** Kept for callers; headers now use each chunk's own language comment syntax. */
  readonly commentPrefix?: string;
  /** Lines already in the prompt (the cursor window): chunks overlapping them are dropped. */
  readonly exclude?: { readonly path: string; readonly startLine: number; readonly endLine: number };
  /** The prompt's text before the cursor (completion): chunks are reranked by its last lines' names, packed by rank, thinned to what it does not show. */
  readonly prefix?: string;
  /** The text from the cursor on (completion): the names of its first lines also rerank the chunks. */
  readonly suffix?: string;
  readonly note?: string;
}

export interface RepoContext {
  /** The pieces to place in the prompt, in ascending score (best last, nearest the question or cursor). */
  readonly text: string;
  readonly report: ContextReport;
}

export function buildRepoContext(hits: readonly RetrievedChunk[], o: RepoContextOptions): RepoContext {
  return buildRetrievedContext(
    hits.map((h) => ({ chunk: chunkOf(h), score: h.score })),
    {
      surface: o.surface, query: o.query, budgetChars: o.budgetChars, style: o.style, createdAt: Date.now(),
      ...(o.exclude ? { exclude: o.exclude } : {}),
      ...(o.prefix !== undefined ? { prefix: o.prefix } : {}),
      ...(o.suffix !== undefined ? { suffix: o.suffix } : {}),
      ...(o.note ? { note: o.note } : {}),
    },
  );
}

/** The hit's chunk under the path the user sees (multi-root workspaces prefix the folder name). */
function chunkOf(h: RetrievedChunk): Chunk {
  if (h.chunk) return { ...h.chunk, path: h.path };
  return {
    path: h.path, language: h.language, span: { start: 0, end: h.text.length }, startLine: h.startLine, endLine: h.endLine,
    symbolPath: h.symbolPath, text: h.text, definitions: [], parser: 'lines',
  };
}

export function chunkHeader(hit: Pick<RetrievedChunk, 'path' | 'startLine' | 'endLine' | 'symbolPath'>): string {
  const symbol = hit.symbolPath.length > 0 ? ` (${hit.symbolPath.join(' > ')})` : '';
  return `${hit.path}:${hit.startLine}-${hit.endLine}${symbol}`;
}
