/**
 * Length of the longest common prefix of two prompts, where a token matches only if its id, its position id
 * and its attention start match: a cached key was rotated by its position, and its value depends on the
 * tokens it attended to when it was computed (`from`: index of the first one; 0 for a plain prompt, the chunk's
 * own start for a chunk encoded on its own under the `parallel` policy). Missing `from` means all 0.
 */
export interface MatchedPrompt {
  readonly ids: readonly number[];
  readonly positions: readonly number[];
  readonly from?: readonly number[];
}

export function commonPrefixLength(a: MatchedPrompt, b: MatchedPrompt): number {
  const n = Math.min(a.ids.length, b.ids.length, a.positions.length, b.positions.length);
  let i = 0;
  while (i < n && a.ids[i] === b.ids[i] && a.positions[i] === b.positions[i] && (a.from?.[i] ?? 0) === (b.from?.[i] ?? 0)) i++;
  return i;
}

/** Position ids 0..n-1 offset by `start`. */
export function sequentialPositions(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}
