/**
 * An assembled prompt as a `ContextReport` (the chat view's "Context" section), with token counts added:
 * retrieved chunks with their compression decision, open files, and the cursor window.
 */
import { maxCharsForTokens } from '../chunk/estimateTokens.ts';
import { contextItems } from '../compress/contextItems.ts';
import type { ContextItem, ContextReport, ContextSurface } from '../protocol/contextReport.ts';
import type { AssembleResult } from './assembleTypes.ts';

export interface TokenContextReport extends ContextReport {
  readonly budgetTokens: number;
  readonly usedTokens: number;
}

export interface ReportInfo {
  readonly surface: ContextSurface;
  readonly query: string;
  readonly createdAt: number;
  readonly note?: string;
}

function windowItems(result: AssembleResult): ContextItem[] {
  return result.segments.flatMap((s) => (s.kind === 'current-file' && s.source
    ? [{ ...s.source, score: 1, status: 'included' as const, reason: 'in the cursor window', chars: s.text.length }]
    : []));
}

function openFileItems(result: AssembleResult): ContextItem[] {
  return result.openFiles.map((f) => ({
    path: f.path, startLine: f.startLine, endLine: f.endLine, score: 1,
    status: f.kept ? 'included' as const : 'dropped' as const,
    reason: f.kept ? 'open or recently edited file' : 'open file over its share of the budget',
    chars: f.kept ? (result.segments.find((s) => s.kind === 'open-file' && s.source?.path === f.path && s.source.startLine === f.startLine)?.text.length ?? 0) : 0,
  }));
}

export function assembleReport(result: AssembleResult, info: ReportInfo): TokenContextReport {
  const items = [...windowItems(result), ...openFileItems(result), ...contextItems(result.decisions)];
  return {
    surface: info.surface, query: info.query, createdAt: info.createdAt,
    budgetChars: maxCharsForTokens(result.budget),
    usedChars: result.segments.reduce((n, s) => n + s.text.length, 0),
    items, budgetTokens: result.budget, usedTokens: result.usedTokens,
    ...(info.note ? { note: info.note } : {}),
  };
}
