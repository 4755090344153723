/**
 * Position policies. `sequential`: 0..N-1. `grouped` (Self-Extend per segment): each far segment keeps exact
 * positions from base ⌊s/G⌋ (s: its first token index), the neighbour window's segments continue exactly after
 * them; G is the smallest group size that makes the span fit. `parallel`: the segments before the first chunk are a shared prefix at 0..P-1, every chunk
 * starts at base P, and the rest continues after the longest chunk.
 */
import { PositionOverflowError, type PositionOptions, type PositionPlan, type PositionPolicy, type PositionedSegment, type TokenSegment } from './positionTypes.ts';

function total(segments: readonly TokenSegment[]): number {
  return segments.reduce((n, s) => n + s.ids.length, 0);
}

function plan(policy: PositionPolicy, segments: readonly PositionedSegment[], extra: Partial<PositionPlan> = {}): PositionPlan {
  let max = -1;
  for (const s of segments) for (const p of s.positions) if (p > max) max = p;
  return { policy, segments, maxPosition: max, nextPosition: max + 1, ...extra };
}

/** Assigns positions from a function of the global token index. */
function byIndex(segments: readonly TokenSegment[], position: (j: number) => number): PositionedSegment[] {
  let j = 0;
  return segments.map((s) => ({ kind: s.kind, ids: s.ids, positions: s.ids.map(() => position(j++)) }));
}

function limitOf(o: PositionOptions): number {
  return o.contextLength - (o.reserve ?? 0);
}

export function sequentialPositions(segments: readonly TokenSegment[], o: PositionOptions): PositionPlan {
  const n = total(segments);
  if (n > limitOf(o)) throw new PositionOverflowError('sequential', `${n} prompt tokens + ${o.reserve ?? 0} to generate exceed the trained context of ${o.contextLength}`);
  return plan('sequential', byIndex(segments, (j) => j));
}

/** The far segments' bases under group size G: ⌊start/G⌋, where start is the segment's first token index. */
function farEnd(starts: readonly number[], lengths: readonly number[], g: number): number {
  let end = 0;
  for (let i = 0; i < starts.length; i++) if (lengths[i]! > 0) end = Math.max(end, Math.floor(starts[i]! / g) + lengths[i]!);
  return end;
}

/** The smallest G ≥ 1 whose far span (the highest far base + length) leaves `room` positions or fewer; undefined when none does. */
export function groupSizeFor(starts: readonly number[], lengths: readonly number[], room: number): number | undefined {
  const far = starts.length === 0 ? 0 : starts.at(-1)! + lengths.at(-1)!;
  if (farEnd(starts, lengths, Math.max(1, far)) > room) return undefined;
  let lo = 1;
  let hi = Math.max(1, far);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (farEnd(starts, lengths, mid) <= room) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** How many trailing segments form the exact neighbour window: as many whole segments as fit in `window` tokens, at least one. */
function windowSegments(segments: readonly TokenSegment[], window: number): number {
  let k = 0;
  let used = 0;
  for (let i = segments.length - 1; i >= 0; i--) {
    const n = segments[i]!.ids.length;
    if (k > 0 && used + n > window) break;
    used += n;
    k++;
  }
  return k;
}

/**
 * Self-Extend applied per segment: every segment keeps exact, consecutive positions inside it; the neighbour window
 * (the last whole segments, about `neighbourWindow` tokens) continues after the far ones; a far segment starting at
 * token index s starts at position ⌊s/G⌋, so far segments may share positions (as parallel chunks do) while their
 * order is kept. G is the smallest group size that fits; when the window's segments and the longest far segment do
 * not fit together the window gives up segments, down to the last one.
 */
export function groupedPositions(segments: readonly TokenSegment[], o: PositionOptions): PositionPlan {
  const limit = limitOf(o);
  const wanted = o.neighbourWindow ?? Math.floor(o.contextLength / 2);
  for (let k = Math.min(segments.length, windowSegments(segments, wanted)); k >= 1; k--) {
    const far = segments.slice(0, segments.length - k);
    const windowTokens = total(segments.slice(far.length));
    const starts: number[] = [];
    let at = 0;
    for (const s of far) {
      starts.push(at);
      at += s.ids.length;
    }
    const lengths = far.map((s) => s.ids.length);
    const g = groupSizeFor(starts, lengths, limit - windowTokens);
    if (g === undefined) continue;
    const farSpan = farEnd(starts, lengths, g);
    let next = farSpan;
    const positioned = segments.map((s, i) => {
      const start = i < far.length ? Math.floor(starts[i]! / g) : next;
      if (i >= far.length) next += s.ids.length;
      return { kind: s.kind, ids: s.ids, positions: s.ids.map((_, j) => start + j) };
    });
    return plan('grouped', positioned, { groupSize: g, groupedTokens: at });
  }
  throw new PositionOverflowError('grouped', `the last segment and the longest other one (${total(segments)} tokens in all) do not fit into ${limit} positions`);
}

export function parallelPositions(segments: readonly TokenSegment[], o: PositionOptions): PositionPlan {
  const first = segments.findIndex((s) => s.kind === 'chunk');
  if (first < 0) return { ...sequentialPositions(segments, o), policy: 'parallel', base: total(segments) };
  const base = total(segments.slice(0, first));
  const longest = chunkSpan(segments, o.spanStep);
  const rest = total(segments.slice(first).filter((s) => s.kind !== 'chunk'));
  const span = base + longest + rest;
  if (span > limitOf(o)) throw new PositionOverflowError('parallel', `span ${span} + ${o.reserve ?? 0} to generate exceeds the trained context of ${o.contextLength}`);
  let next = base + longest;
  const positioned = segments.map((s, i) => {
    let start: number;
    if (i < first) start = total(segments.slice(0, i));
    else if (s.kind === 'chunk') start = base;
    else {
      start = next;
      next += s.ids.length;
    }
    return { kind: s.kind, ids: s.ids, positions: s.ids.map((_, k) => start + k) };
  });
  return plan('parallel', positioned, { base });
}

/** Positions the chunks take: the longest, rounded up to a multiple of `step`. */
function chunkSpan(segments: readonly TokenSegment[], step = 1): number {
  const longest = Math.max(0, ...segments.filter((s) => s.kind === 'chunk').map((s) => s.ids.length));
  const k = Math.max(1, Math.floor(step));
  return Math.ceil(longest / k) * k;
}

export function parallelSpan(segments: readonly TokenSegment[], spanStep?: number): number {
  const first = segments.findIndex((s) => s.kind === 'chunk');
  if (first < 0) return total(segments);
  const rest = total(segments.slice(first).filter((s) => s.kind !== 'chunk'));
  return total(segments.slice(0, first)) + chunkSpan(segments, spanStep) + rest;
}
