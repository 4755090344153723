/**
 * Terminal and JSON views of the editor's completion context: the FIM prompt, one row per retrieved chunk
 * (included, collapsed or dropped as the editor reports it, with retrieval score and, after attention
 * refinement, estimated mass share, blended score, rank change and lines thinned), and the position ids per segment.
 */
import type { EditorContext } from './editorContext.ts';
import { formatPlan, pad } from './formatContext.ts';

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => r.map((x, i) => (i === r.length - 1 ? x : pad(x, widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

function percent(x: number | undefined): string {
  return x === undefined ? '-' : `${(100 * x).toFixed(1)}%`;
}

/** One row per item of the editor's report, in its order. */
export function formatEditorTable(e: EditorContext): string {
  const r = e.refinement;
  const rows = e.items.map((it, i) => {
    const p = e.itemOf[i]!;
    const rowIndex = p >= 0 ? e.rowOf[p] : undefined;
    const row = rowIndex !== undefined ? r?.rows[rowIndex] : undefined;
    const attention = r ? (row ? [percent(row.massShare), row.blended.toFixed(3), `${row.rankBefore}->${row.rankAfter}`, String(e.massDroppedLines[p])] : ['-', '-', '-', '-']) : [];
    const score = row?.retrievalScore ?? it.score;
    return [it.status, score.toFixed(3), ...attention, String(it.chars), `${it.path}:${it.startLine}-${it.endLine}`, it.reason];
  });
  const head = ['level', 'score', ...(r ? ['mass', 'blended', 'rank', 'low-mass lines'] : []), 'chars', 'chunk', 'reason'];
  return table(head, rows);
}

export function formatAttentionSummary(e: EditorContext): string {
  const r = e.refinement;
  if (!r) return '';
  const source = r.queriesFrom === 'graph' ? 'queries from the graph (queries.N outputs)' : 'key–key similarity (the graph has no query outputs)';
  return `attention: ${source}; ${r.probedCandidates}/${r.rows.length} candidates probed in ${r.probeTokens} tokens; `
    + `<= ${percent(r.scoredFraction)} of the keys a query sees scored; ranking ${r.rankChanged ? 'changed' : 'unchanged'}; `
    + `forward ${Math.round(r.forwardMs)} ms, estimate ${Math.round(r.estimateMs)} ms\n`;
}

export function formatEditorContext(e: EditorContext): string {
  const est = e.estimated ? ' (estimated: no --model tokenizer)' : '';
  const tokens = e.tokens.reduce((s, t) => s + t.ids.length, 0);
  const prompt = e.segments.map((s) => s.text).join('');
  return [
    `=== prompt as the editor sends it (${tokens} tokens${est}; retrieved context ${e.usedChars}/${e.contextChars} chars) ===`, prompt, '',
    `=== retrieved chunks (query: ${JSON.stringify(e.query.split('\n').at(-1) ?? '')}) ===`, `${formatAttentionSummary(e)}${formatEditorTable(e)}`, '',
    `=== positions ===`, formatPlan(e.plan, e.segments.map((s) => s.source)), '',
  ].join('\n');
}

export function editorContextJson(e: EditorContext): object {
  const r = e.refinement;
  return {
    mode: 'editor', path: e.path, query: e.query, contextChars: e.contextChars, usedChars: e.usedChars, estimated: e.estimated, prefix: e.prefix, suffix: e.suffix,
    items: e.items.map((it, i) => ({ ...it, retrieved: e.itemOf[i]! >= 0 ? e.origin[e.itemOf[i]!] : undefined, massDroppedLines: e.itemOf[i]! >= 0 ? e.massDroppedLines[e.itemOf[i]!] : undefined })),
    ...(r ? { attention: { queriesFrom: r.queriesFrom, probedCandidates: r.probedCandidates, probeTokens: r.probeTokens, scoredFraction: r.scoredFraction, rankChanged: r.rankChanged, forwardMs: r.forwardMs, estimateMs: r.estimateMs, rows: r.rows } } : {}),
    policy: e.plan.policy, nextPosition: e.plan.nextPosition,
    segments: e.segments.map((s, i) => {
      const positions = e.plan.segments[i]?.positions ?? [];
      return { kind: s.kind, source: s.source, score: s.score, tokens: e.tokens[i]?.ids.length, firstPosition: positions[0], lastPosition: positions.at(-1) };
    }),
  };
}
