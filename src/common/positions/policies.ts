/**
 * Position policies. `sequential`: 0..N-1. `grouped` (Self-Extend): the first F = N − W tokens get ⌊j/G⌋,
 * the last W (the neighbour window) continue exactly after them; G is the smallest group size that makes
 * the span fit. `parallel`: the segments before the first chunk are a shared prefix at 0..P-1, every chunk
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

/** The smallest G ≥ 1 with ⌈far/G⌉ + window ≤ limit, or undefined when even one position for all far tokens is too many. */
export function groupSizeFor(far: number, window: number, limit: number): number | undefined {
  const room = limit - window;
  if (far === 0) return room >= 0 ? 1 : undefined;
  if (room < 1) return undefined;
  return Math.ceil(far / room);
}

export function groupedPositions(segments: readonly TokenSegment[], o: PositionOptions): PositionPlan {
  const n = total(segments);
  const limit = limitOf(o);
  const window = Math.max(0, Math.min(n, o.neighbourWindow ?? Math.floor(o.contextLength / 2), limit - 1));
  const far = n - window;
  const g = groupSizeFor(far, window, limit);
  if (g === undefined) throw new PositionOverflowError('grouped', `no group size fits ${n} tokens into ${limit} positions`);
  const farSpan = Math.ceil(far / g);
  const positioned = byIndex(segments, (j) => (j < far ? Math.floor(j / g) : farSpan + (j - far)));
  return plan('grouped', positioned, { groupSize: g, groupedTokens: far });
}

export function parallelPositions(segments: readonly TokenSegment[], o: PositionOptions): PositionPlan {
  const first = segments.findIndex((s) => s.kind === 'chunk');
  if (first < 0) return { ...sequentialPositions(segments, o), policy: 'parallel', base: total(segments) };
  const base = total(segments.slice(0, first));
  const longest = Math.max(...segments.filter((s) => s.kind === 'chunk').map((s) => s.ids.length));
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

export function parallelSpan(segments: readonly TokenSegment[]): number {
  const chunks = segments.filter((s) => s.kind === 'chunk');
  if (chunks.length === 0) return total(segments);
  const first = segments.findIndex((s) => s.kind === 'chunk');
  const rest = total(segments.slice(first).filter((s) => s.kind !== 'chunk'));
  return total(segments.slice(0, first)) + Math.max(...chunks.map((s) => s.ids.length)) + rest;
}
