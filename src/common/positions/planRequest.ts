/**
 * A positioned prompt as a decoder request: token ids and position ids in prompt order, and under the
 * `parallel` policy the token ranges of the chunk segments, which the decoder takes from its chunk cache.
 * Parallel chunks share their positions and never attend to each other, so their order in the sequence does not
 * change what the model computes; they are put in a canonical order (by token ids) so that a prompt whose
 * chunks only changed rank keeps the same sequence, and the decoder's prefix cache still matches it.
 * `windowFirst` moves the text that follows the chunks up to the next marker (the cursor window of a FIM prompt)
 * before them in the sequence, at the same positions: the window's cache then survives a change of chunks, but the
 * window no longer reads them (only the suffix and the generated tokens do).
 */
import type { GenerateRequest } from '../generate/generateTypes.ts';
import type { TokenRange } from '../generate/independentRanges.ts';
import type { PositionPlan, PositionedSegment } from './positionTypes.ts';

function compareIds(a: PositionedSegment, b: PositionedSegment): number {
  const n = Math.min(a.ids.length, b.ids.length);
  for (let i = 0; i < n; i++) if (a.ids[i] !== b.ids[i]) return a.ids[i]! - b.ids[i]!;
  return a.ids.length - b.ids.length;
}

export interface RequestLayout {
  /** Under `parallel`: the segments after the chunks, up to the next marker, go before them in the sequence. */
  readonly windowFirst?: boolean;
}

/** The segments after the last chunk up to the first marker, moved in front of the first chunk. */
function windowBeforeChunks(segments: readonly PositionedSegment[]): PositionedSegment[] {
  const first = segments.findIndex((s) => s.kind === 'chunk');
  const last = segments.findLastIndex((s) => s.kind === 'chunk');
  if (first < 0) return [...segments];
  let end = last + 1;
  while (end < segments.length && segments[end]!.kind !== 'marker') end++;
  return [...segments.slice(0, first), ...segments.slice(last + 1, end), ...segments.slice(first, last + 1), ...segments.slice(end)];
}

/** Under `parallel`, each run of consecutive chunk segments in canonical order; otherwise the segments as they are. */
function requestOrder(plan: PositionPlan, layout: RequestLayout): readonly PositionedSegment[] {
  if (plan.policy !== 'parallel') return plan.segments;
  const segments = layout.windowFirst ? windowBeforeChunks(plan.segments) : plan.segments;
  const out: PositionedSegment[] = [];
  let run: PositionedSegment[] = [];
  const flush = (): void => {
    out.push(...run.sort(compareIds));
    run = [];
  };
  for (const s of segments) {
    if (s.kind === 'chunk') run.push(s);
    else {
      flush();
      out.push(s);
    }
  }
  flush();
  return out;
}

export function planRequest(plan: PositionPlan, layout: RequestLayout = {}): GenerateRequest {
  const ids: number[] = [];
  const positions: number[] = [];
  const independent: TokenRange[] = [];
  for (const s of requestOrder(plan, layout)) {
    if (plan.policy === 'parallel' && s.kind === 'chunk' && s.ids.length > 0) independent.push({ start: ids.length, end: ids.length + s.ids.length });
    for (let i = 0; i < s.ids.length; i++) {
      ids.push(s.ids[i]!);
      positions.push(s.positions[i]!);
    }
  }
  return independent.length > 0 ? { ids, positions, independent } : { ids, positions };
}
