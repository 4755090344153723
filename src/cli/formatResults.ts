/** Plain-text renderings of an index summary and of search hits, for the terminal. */
import { formatSymbolPath, type Chunk } from '../common/chunk/chunk.ts';
import { codeTokens } from '../common/encode/codeTokens.ts';
import { SKIP_REASONS, type SkipReason } from '../common/scan/scannedFile.ts';
import type { QueryExplain } from '../common/search/clusteredSearch.ts';
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

/** A mass (a probability, often tiny) in 3 significant digits. */
export function formatMass(m: number): string {
  return m >= 0.01 ? m.toFixed(3) : m.toExponential(2);
}

/**
 * `path:start-end  score  [cluster c/f  mass m]  symbol`, locations, cluster ids and masses padded to
 * columns. The cluster columns appear for centroid lookups only (exact hits have no cluster).
 */
export function formatHits(hits: readonly SearchHit[]): string[] {
  const width = Math.max(0, ...hits.map((h) => hitLocation(h).length));
  const ids = hits.map((h) => (h.cluster ? `${h.cluster.coarse}/${h.cluster.fine}` : ''));
  const masses = hits.map((h) => (h.cluster ? formatMass(h.mass ?? NaN) : ''));
  const idWidth = Math.max(0, ...ids.map((x) => x.length));
  const massWidth = Math.max(0, ...masses.map((x) => x.length));
  const cluster = (i: number): string => (idWidth > 0 ? `cluster ${ids[i]!.padEnd(idWidth)}  mass ${masses[i]!.padEnd(massWidth)}  ` : '');
  return hits.map((h, i) => `${hitLocation(h).padEnd(width)}  ${h.score.toFixed(3)}  ${cluster(i)}${chunkLabel(h.chunk)}`.trimEnd());
}

const MORE_DEFINITIONS = 3;

/**
 * The chunk's symbol path, then the other definitions that start in it (a chunk often holds several
 * methods: naming only the first would mislabel a hit on the second).
 */
export function chunkLabel(c: Pick<Chunk, 'symbolPath' | 'definitions'>): string {
  const head = formatSymbolPath(c);
  const last = c.symbolPath[c.symbolPath.length - 1];
  const others = c.definitions.map((d) => `${d.kind} ${d.name}`).filter((d) => d !== last);
  if (others.length === 0) return head;
  const shown = others.slice(0, MORE_DEFINITIONS).join(', ') + (others.length > MORE_DEFINITIONS ? `, +${others.length - MORE_DEFINITIONS} more` : '');
  return head ? `${head}, ${shown}` : shown;
}

const count = (n: number): string => n.toLocaleString('en-US');
const tau = (t: number): string => (t === 0 ? '0 (keep all)' : t.toExponential(2));

/** What a lookup scored: per level clusters scored and kept with τ, then vectors scored (`--explain`). */
export function formatExplain(e: QueryExplain): string[] {
  const took = `${e.ms.toFixed(2)} ms`;
  const vectors = `  vectors  scored ${count(e.vectorsScored)} of ${count(e.vectors)} (${(100 * e.fractionScored).toFixed(2)}%)`;
  if (e.mode === 'exact' || !e.coarse || !e.fine) return [`explain: exact search over ${count(e.vectors)} vectors (${e.reason ?? 'exact'}) in ${took}`, vectors];
  const level = (name: string, l: NonNullable<QueryExplain['coarse']>): string =>
    `  ${name}  clusters ${count(l.total)}, scored ${count(l.scored)}, kept ${count(l.kept)}  τ ${tau(l.tau)}`;
  // A sparse query is answered exactly from the posting lists; the levels then only place the hits' mass estimate.
  const head = e.postingsRead === undefined
    ? [`explain: centroid lookup over ${count(e.vectors)} vectors (T ${e.temperature ?? '?'}) in ${took}`]
    : [`explain: posting lists over ${count(e.vectors)} vectors (exact; clusters only estimate mass) in ${took}`, `  postings read ${count(e.postingsRead)}`];
  return [...head, level('coarse', e.coarse), level('fine  ', e.fine), `${vectors}, centroids scored ${count(e.centroidsScored)}`];
}

/**
 * The line of the chunk that shares the most tokens with the query (the first non-blank line if none),
 * trimmed, with its 1-based line number in the file.
 */
export function previewLine(h: SearchHit, query: string, maxLength = 100): { line: number; text: string } {
  const wanted = new Set(codeTokens(query));
  let best = { line: h.chunk.startLine, text: '' };
  let bestScore = -1;
  h.chunk.text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!trimmed) return;
    const score = codeTokens(trimmed).filter((t) => wanted.has(t)).length;
    if (score > bestScore) {
      best = { line: h.chunk.startLine + i, text: trimmed };
      bestScore = score;
    }
  });
  return { line: best.line, text: best.text.length <= maxLength ? best.text : `${best.text.slice(0, maxLength - 1)}…` };
}

export function hitsToJson(hits: readonly SearchHit[]): object[] {
  return hits.map((h) => ({
    path: h.chunk.path,
    startLine: h.chunk.startLine,
    endLine: h.chunk.endLine,
    score: Number(h.score.toFixed(6)),
    symbolPath: h.chunk.symbolPath,
    language: h.chunk.language,
    ...(h.cluster ? { cluster: h.cluster, mass: h.mass } : {}),
    text: h.chunk.text,
  }));
}
