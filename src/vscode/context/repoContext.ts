/**
 * The interim context engine (until the context engine of issue 8 lands): retrieved chunks from the
 * hashed-encoder index are fitted into a character budget, best first; a chunk that does not fit whole
 * may still go in as its signatures (`collapsed`); the rest is dropped. Everything is reported.
 * Pure (no `vscode`): replace this module, keep `ContextReport`.
 */
import type { ContextItem, ContextReport, ContextSurface } from '../../common/protocol/contextReport.ts';
import type { RetrievedChunk } from '../services/repoSearch.ts';

export type ContextStyle = 'markdown' | 'comment';

export interface RepoContextOptions {
  readonly surface: ContextSurface;
  readonly query: string;
  readonly budgetChars: number;
  readonly style: ContextStyle;
  /** Line comment marker for the `comment` style (`//`, `#`). */
  readonly commentPrefix?: string;
  /** Lines already in the prompt (the cursor window): chunks overlapping them are dropped. */
  readonly exclude?: { readonly path: string; readonly startLine: number; readonly endLine: number };
  readonly note?: string;
}

export interface RepoContext {
  /** The pieces to place in the prompt, in ascending score (best last, nearest the question or cursor). */
  readonly text: string;
  readonly report: ContextReport;
}

interface Placed {
  readonly hit: RetrievedChunk;
  readonly text: string;
}

export function buildRepoContext(hits: readonly RetrievedChunk[], o: RepoContextOptions): RepoContext {
  const items: ContextItem[] = [];
  const placed: Placed[] = [];
  const seen = new Set<string>();
  let used = 0;
  for (const hit of [...hits].sort((a, b) => b.score - a.score)) {
    const key = `${hit.path}:${hit.startLine}-${hit.endLine}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const base = { path: hit.path, startLine: hit.startLine, endLine: hit.endLine, score: round(hit.score), ...symbolOf(hit) };
    if (overlaps(hit, o.exclude)) {
      items.push({ ...base, status: 'dropped', reason: 'already in the cursor window', chars: 0 });
      continue;
    }
    const full = renderPiece(hit, hit.text, o);
    const collapsed = hit.signatures.length > 0 ? renderPiece(hit, hit.signatures.join('\n'), o) : undefined;
    if (used + full.length <= o.budgetChars) {
      placed.push({ hit, text: full });
      items.push({ ...base, status: 'included', reason: 'fits the budget', chars: full.length });
      used += full.length;
    } else if (collapsed && used + collapsed.length <= o.budgetChars) {
      placed.push({ hit, text: collapsed });
      items.push({ ...base, status: 'collapsed', reason: 'signatures only: the full chunk is over budget', chars: collapsed.length });
      used += collapsed.length;
    } else {
      items.push({ ...base, status: 'dropped', reason: 'over budget', chars: 0 });
    }
  }
  const text = placed.reverse().map((p) => p.text).join('\n');
  const report: ContextReport = {
    surface: o.surface, query: o.query, budgetChars: o.budgetChars, usedChars: used, items, createdAt: Date.now(),
    ...(o.note ? { note: o.note } : {}),
  };
  return { text, report };
}

export function chunkHeader(hit: Pick<RetrievedChunk, 'path' | 'startLine' | 'endLine' | 'symbolPath'>): string {
  const symbol = hit.symbolPath.length > 0 ? ` (${hit.symbolPath.join(' > ')})` : '';
  return `${hit.path}:${hit.startLine}-${hit.endLine}${symbol}`;
}

function renderPiece(hit: RetrievedChunk, body: string, o: RepoContextOptions): string {
  const text = body.endsWith('\n') ? body : `${body}\n`;
  if (o.style === 'comment') return `${o.commentPrefix ?? '//'} ${chunkHeader(hit)}\n${text}`;
  const fence = text.includes('```') ? '~~~~' : '```';
  return `File ${chunkHeader(hit)}\n${fence}${hit.language}\n${text}${fence}\n`;
}

function overlaps(hit: RetrievedChunk, w: RepoContextOptions['exclude']): boolean {
  return w !== undefined && hit.path === w.path && hit.startLine <= w.endLine && hit.endLine >= w.startLine;
}

function symbolOf(hit: RetrievedChunk): { symbol?: string } {
  return hit.symbolPath.length > 0 ? { symbol: hit.symbolPath.join(' > ') } : {};
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
