/** Terminal and JSON views of a cursor context: the prompt, the decision table, the positions per segment. */
import { positionRanges } from '../../common/positions/assignPositions.ts';
import type { SegmentSource } from '../../common/assemble/assembleTypes.ts';
import type { PositionPlan } from '../../common/positions/positionTypes.ts';
import type { CursorContext } from './cursorContext.ts';

export function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function formatPrompt(c: CursorContext): string {
  return c.assembled.segments.map((s) => s.text).join('');
}

/** One row per retrieved candidate: level, score, tokens (at its level, of full), location, reason. */
export function formatDecisionTable(c: CursorContext): string {
  const rows = c.assembled.decisions.map((d) => [
    d.level, d.score.toFixed(3), `${d.tokens}/${d.fullTokens}`, `${d.path}:${d.startLine}-${d.endLine}`, d.reason,
  ]);
  const head = ['level', 'score', 'tok/full', 'chunk', 'reason'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => r.map((x, i) => (i === r.length - 1 ? x : pad(x, widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

export function formatPositions(c: CursorContext): string {
  return formatPlan(c.plan, c.assembled.segments.map((s) => s.source));
}

/** The policy line and one row per segment: kind, tokens, position ranges, source lines. */
export function formatPlan(p: PositionPlan, sources: readonly (SegmentSource | undefined)[]): string {
  const grouped = (p.groupedTokens ?? 0) > 0 ? ` G=${p.groupSize} over the first ${p.groupedTokens} tokens` : ': no grouping needed (the prompt fits the trained context)';
  const extra = p.policy === 'grouped' ? grouped : p.policy === 'parallel' ? ` base=${p.base}` : '';
  const rows = p.segments.map((s, i) => {
    const src = sources[i];
    const where = src ? `  ${src.path}:${src.startLine}-${src.endLine}` : '';
    return `  ${pad(s.kind, 15)}${pad(String(s.ids.length), 7)}${pad(positionRanges(s.positions), 14)}${where}`;
  });
  return [`policy ${p.policy}${extra}; next position ${p.nextPosition}`, `  ${pad('segment', 15)}${pad('tokens', 7)}${pad('positions', 14)}source`, ...rows].join('\n');
}

export function formatCursorContext(c: CursorContext): string {
  const a = c.assembled;
  const est = c.estimated ? ' (estimated: no --model tokenizer)' : '';
  return [
    `=== prompt (${a.usedTokens}/${a.budget} tokens${est}) ===`, formatPrompt(c), '',
    `=== retrieved chunks (query: ${JSON.stringify(c.query.split('\n').at(-1) ?? '')}) ===`, formatDecisionTable(c), '',
    `=== positions ===`, formatPositions(c), '',
  ].join('\n');
}

export function cursorContextJson(c: CursorContext): object {
  return {
    path: c.path, query: c.query, budget: c.assembled.budget, usedTokens: c.assembled.usedTokens, estimated: c.estimated,
    prompt: formatPrompt(c), decisions: c.assembled.decisions, openFiles: c.assembled.openFiles, windowCut: c.assembled.windowCut,
    policy: c.plan.policy, groupSize: c.plan.groupSize, base: c.plan.base, nextPosition: c.plan.nextPosition,
    segments: c.assembled.segments.map((s, i) => {
      const positions = c.plan.segments[i]?.positions ?? [];
      return { kind: s.kind, source: s.source, score: s.score, tokens: c.assembled.segmentTokens[i], firstPosition: positions[0], lastPosition: positions.at(-1) };
    }),
  };
}
