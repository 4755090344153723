/**
 * Token ranges of a prompt whose KV cache is computed on its own (the chunks of the `parallel` position policy):
 * a token inside such a range attends only to the range's earlier tokens, so its cache can come from a chunk
 * cache instead of a forward pass over the whole prefix. Pure bookkeeping for the decoder and its prefix cache.
 */
export interface TokenRange {
  /** First token index (inclusive). */
  readonly start: number;
  /** One past the last token index. */
  readonly end: number;
}

/** Throws unless the ranges are sorted, disjoint, non-empty, inside the prompt, and consecutive in position. */
export function checkIndependentRanges(ranges: readonly TokenRange[], positions: readonly number[]): void {
  let last = 0;
  for (const r of ranges) {
    if (!Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < last || r.end <= r.start || r.end > positions.length) {
      throw new Error(`independent range [${r.start}, ${r.end}) is empty, overlaps another, is out of order or outside the ${positions.length}-token prompt`);
    }
    for (let i = r.start + 1; i < r.end; i++) {
      if (positions[i] !== positions[i - 1]! + 1) throw new Error(`independent range [${r.start}, ${r.end}) needs consecutive position ids (index ${i})`);
    }
    last = r.end;
  }
}

/** The attention start of every token: the range start inside an independent range, else 0. */
export function attentionStarts(length: number, ranges: readonly TokenRange[] | undefined): number[] {
  const from = new Array<number>(length).fill(0);
  for (const r of ranges ?? []) for (let i = r.start; i < r.end; i++) from[i] = r.start;
  return from;
}

/** A reusable prefix length cut back to the start of the range it would end inside (a range is placed whole). */
export function alignToRanges(length: number, ranges: readonly TokenRange[] | undefined): number {
  const inside = ranges?.find((r) => r.start < length && length < r.end);
  return inside ? inside.start : length;
}
