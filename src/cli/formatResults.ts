/** Plain-text renderings of an index summary and of search hits, for the terminal. */
import { formatSymbolPath } from '../common/chunk/chunk.ts';
import { codeTokens } from '../common/encode/codeTokens.ts';
import { SKIP_REASONS, type SkipReason } from '../common/scan/scannedFile.ts';
import type { IndexSummary } from '../node/indexer/repositoryIndexer.ts';
import type { SearchHit } from '../node/indexer/searchIndex.ts';

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatSummary(root: string, s: IndexSummary): string {
  const lines = [
    `Indexed ${root} in ${formatDuration(s.durationMs)}${s.committed ? '' : ' (no change)'}`,
    `  files     ${s.files}  (${s.reused} reused, ${s.rechunked} chunked, ${s.removed} removed)`,
    `  chunks    ${s.chunks}`,
  ];
  const skipped = (Object.entries(s.skipped) as [SkipReason, number][]).sort((a, b) => b[1] - a[1]);
  const total = skipped.reduce((n, [, c]) => n + c, 0);
  lines.push(`  skipped   ${total}`);
  for (const [reason, count] of skipped) lines.push(`    ${String(count).padStart(5)}  ${SKIP_REASONS[reason]}`);
  if (s.rebuildReason) lines.push(`  rebuilt   ${s.rebuildReason}`);
  lines.push(`  index     ${s.storeDir}`);
  return lines.join('\n');
}

export function hitLocation(h: SearchHit): string {
  return `${h.chunk.path}:${h.chunk.startLine}-${h.chunk.endLine}`;
}

/** `path:start-end  score  symbol`, locations padded to one column. */
export function formatHits(hits: readonly SearchHit[]): string[] {
  const width = Math.max(0, ...hits.map((h) => hitLocation(h).length));
  return hits.map((h) => `${hitLocation(h).padEnd(width)}  ${h.score.toFixed(3)}  ${formatSymbolPath(h.chunk)}`.trimEnd());
}

/** The line of the chunk that shares the most tokens with the query (the first non-blank line if none). */
export function previewLine(h: SearchHit, query: string, maxLength = 100): string {
  const wanted = new Set(codeTokens(query));
  let best = '';
  let bestScore = -1;
  for (const line of h.chunk.text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const score = codeTokens(trimmed).filter((t) => wanted.has(t)).length;
    if (score > bestScore) {
      best = trimmed;
      bestScore = score;
    }
  }
  return best.length <= maxLength ? best : `${best.slice(0, maxLength - 1)}…`;
}

export function hitsToJson(hits: readonly SearchHit[]): object[] {
  return hits.map((h) => ({
    path: h.chunk.path,
    startLine: h.chunk.startLine,
    endLine: h.chunk.endLine,
    score: Number(h.score.toFixed(6)),
    symbolPath: h.chunk.symbolPath,
    language: h.chunk.language,
    text: h.chunk.text,
  }));
}
