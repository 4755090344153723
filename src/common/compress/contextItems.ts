/** Compression decisions as the `ContextItem`s of a `ContextReport` (the chat view's "Context" section). */
import type { ContextItem, ContextItemStatus } from '../protocol/contextReport.ts';
import type { CompressDecision, CompressLevel } from './compressTypes.ts';

const STATUS: Readonly<Record<CompressLevel, ContextItemStatus>> = {
  full: 'included', collapsed: 'collapsed', signature: 'collapsed', dropped: 'dropped',
};

export function contextItemOf(d: CompressDecision): ContextItem {
  const lines = d.droppedLines > 0 && d.level !== 'dropped' ? `; ${d.droppedLines} blank or low-value lines removed` : '';
  return {
    path: d.path, startLine: d.startLine, endLine: d.endLine,
    score: Math.round(d.score * 1000) / 1000,
    status: STATUS[d.level],
    reason: `${d.reason}${lines}`,
    chars: d.chars,
    ...(d.symbolPath.length > 0 ? { symbol: d.symbolPath.join(' > ') } : {}),
  };
}

export function contextItems(decisions: readonly CompressDecision[]): ContextItem[] {
  return decisions.map(contextItemOf);
}
