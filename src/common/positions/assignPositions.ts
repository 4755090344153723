/** Chooses a position policy (or applies the one asked for) and assigns position ids to every token. */
import { groupedPositions, parallelPositions, parallelSpan, sequentialPositions } from './policies.ts';
import type { PositionOptions, PositionPlan, PositionPolicy, TokenSegment } from './positionTypes.ts';

/** `auto`: sequential when the prompt fits the trained context (unless a warm chunk cache prefers parallel), else parallel when its span fits, else grouped. */
export function choosePolicy(segments: readonly TokenSegment[], o: PositionOptions): PositionPolicy {
  if (o.policy && o.policy !== 'auto') return o.policy;
  const limit = o.contextLength - (o.reserve ?? 0);
  const hasChunks = segments.some((s) => s.kind === 'chunk');
  const n = segments.reduce((a, s) => a + s.ids.length, 0);
  const parallelFits = hasChunks && parallelSpan(segments) <= limit;
  if (o.preferParallel && parallelFits) return 'parallel';
  if (n <= limit) return 'sequential';
  return parallelFits ? 'parallel' : 'grouped';
}

export function assignPositions(segments: readonly TokenSegment[], o: PositionOptions): PositionPlan {
  switch (choosePolicy(segments, o)) {
    case 'sequential':
      return sequentialPositions(segments, o);
    case 'grouped':
      return groupedPositions(segments, o);
    case 'parallel':
      return parallelPositions(segments, o);
  }
}

/** Contiguous runs of a segment's positions, `a-b` or `a` (grouped far tokens repeat: `0-3 (G=4)` style ranges). */
export function positionRanges(positions: readonly number[]): string {
  if (positions.length === 0) return '—';
  const first = positions[0]!;
  const last = positions[positions.length - 1]!;
  return first === last ? String(first) : `${first}-${last}`;
}
