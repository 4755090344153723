/**
 * Decides which live segments a commit keeps as they are and which it compacts (copies their live rows
 * into the new segment). A segment is compacted when more than half of its rows are dead (their files
 * changed or were removed), and the smallest ones are merged when there are more than MAX_SEGMENTS, so the
 * number of files stays bounded while unchanged data is not rewritten on every commit.
 */
import type { ChunkRange, SegmentInfo } from './indexManifest.ts';

export const MAX_SEGMENTS = 16;

export interface SegmentPlan {
  /** Segments referenced by kept files and left untouched. */
  readonly keep: ReadonlySet<number>;
  /** Segments whose live rows are copied into the new segment. */
  readonly compact: ReadonlySet<number>;
}

export function planSegments(files: readonly { readonly range?: ChunkRange }[], live: readonly SegmentInfo[]): SegmentPlan {
  const liveRows = new Map<number, number>();
  for (const f of files) {
    if (f.range && f.range.count > 0) liveRows.set(f.range.seg, (liveRows.get(f.range.seg) ?? 0) + f.range.count);
  }
  const referenced = live.filter((s) => liveRows.has(s.gen));
  const compact = new Set<number>();
  for (const s of referenced) if ((liveRows.get(s.gen) ?? 0) * 2 < s.rows) compact.add(s.gen);
  const remaining = referenced.filter((s) => !compact.has(s.gen));
  if (remaining.length + 1 > MAX_SEGMENTS) {
    const bySize = [...remaining].sort((a, b) => (liveRows.get(a.gen) ?? 0) - (liveRows.get(b.gen) ?? 0));
    for (const s of bySize.slice(0, remaining.length + 1 - MAX_SEGMENTS / 2)) compact.add(s.gen);
  }
  return { keep: new Set(referenced.filter((s) => !compact.has(s.gen)).map((s) => s.gen)), compact };
}
