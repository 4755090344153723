/**
 * Groups consecutive pieces into chunks that tile the text, each within a token budget. Each piece knows
 * how good a cut at its start is (`depth`: 1 = a top-level boundary, higher is worse). The grouping is the
 * cheapest segmentation under
 *
 *     cost = Σ over chunks [ depth of the cut that ends it  +  2 · (1 − fill)  +  8 · max(0, ¼ − fill) ]
 *
 * where fill = chunk size / budget (the last chunk has no cut). The last term keeps chunks under a
 * quarter of the budget for when nothing else fits (a file of `using`s and one namespace would otherwise
 * give a chunk of the `using`s alone). The factor 2 makes a cut one level
 * shallower worth half a budget of fill: a top-level boundary wins over a nested one as soon as the chunk
 * is half full, which is the greedy rule "prefer top-level cuts once half the budget is reached", applied
 * with look-ahead so that a chunk is not cut mid-function when a function boundary was available.
 * Dynamic programming over pieces; each chunk spans at most a budget, so this is O(pieces × window).
 */
import type { Span } from './chunk.ts';
import { maxCharsForTokens } from './estimateTokens.ts';

export interface Piece {
  /** Half-open range of UTF-16 offsets; consecutive pieces are contiguous. */
  readonly start: number;
  readonly end: number;
  /** Rank of a cut at `start`: lower is preferred. Ignored for the first piece. */
  readonly depth: number;
}

/** Weight of an empty budget against one level of cut depth. */
const UNDERFILL_WEIGHT = 2;
/** Chunks below this fill pay SMALL_WEIGHT per missing budget on top. */
const SMALL_FILL = 0.25;
const SMALL_WEIGHT = 8;

function fillCost(len: number, maxChars: number): number {
  const fill = Math.min(1, len / maxChars);
  return UNDERFILL_WEIGHT * (1 - fill) + SMALL_WEIGHT * Math.max(0, SMALL_FILL - fill);
}

/** Groups contiguous `pieces` into spans of at most `budgetTokens` estimated tokens (a single oversized piece stays whole). */
export function groupPieces(pieces: readonly Piece[], budgetTokens: number): Span[] {
  const n = pieces.length;
  if (n === 0) return [];
  const maxChars = Math.max(1, maxCharsForTokens(budgetTokens));
  const best = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(n + 1);
  best[0] = 0;
  for (let k = 1; k <= n; k++) {
    const end = pieces[k - 1]?.end ?? 0;
    const cut = k === n ? 0 : (pieces[k]?.depth ?? 0);
    for (let i = k - 1; i >= 0; i--) {
      const len = end - (pieces[i]?.start ?? 0);
      if (len > maxChars && i < k - 1) break;
      const cost = (best[i] ?? 0) + cut + fillCost(len, maxChars);
      if (cost < (best[k] ?? 0)) {
        best[k] = cost;
        from[k] = i;
      }
    }
  }
  const spans: Span[] = [];
  for (let k = n; k > 0; k = from[k] ?? 0) {
    const i = from[k] ?? 0;
    spans.push({ start: pieces[i]?.start ?? 0, end: pieces[k - 1]?.end ?? 0 });
  }
  return spans.reverse();
}
