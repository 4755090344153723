/** Chooses a position policy (or applies the one asked for) and assigns position ids to every token. */
import { groupedPositions, parallelPositions, parallelSpan, sequentialPositions } from './policies.ts';
import type { PositionOptions, PositionPlan, PositionPolicy, TokenSegment } from './positionTypes.ts';

/**
 * `auto`: sequential when the prompt fits the trained context, else parallel when its span fits, else grouped.
 * `preferParallel` (the decoder's chunk cache is usable) takes parallel whenever it fits and there are chunks.
 */
export function choosePolicy(segments: readonly TokenSegment[], o: PositionOptions): PositionPolicy {
  if (o.policy && o.policy !== 'auto') return o.policy;
  const limit = o.contextLength - (o.reserve ?? 0);
  const hasChunks = segments.some((s) => s.kind === 'chunk');
  const n = segments.reduce((a, s) => a + s.ids.length, 0);
  const parallelFits = hasChunks && parallelSpan(segments, o.spanStep) <= limit;
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

/** A segment's positions as `first-last` (every policy gives consecutive positions inside a segment), or `a` for one. */
export function positionRanges(positions: readonly number[]): string {
  if (positions.length === 0) return '—';
  const first = positions[0]!;
  const last = positions[positions.length - 1]!;
  return first === last ? String(first) : `${first}-${last}`;
}
