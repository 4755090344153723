/**
 * Length of the longest common prefix of two prompts, where a token matches only if both its id and its
 * position id match: a cached key was rotated by its position, so the same token at another position is
 * a different cache entry.
 */
export function commonPrefixLength(
  a: { readonly ids: readonly number[]; readonly positions: readonly number[] },
  b: { readonly ids: readonly number[]; readonly positions: readonly number[] },
): number {
  const n = Math.min(a.ids.length, b.ids.length, a.positions.length, b.positions.length);
  let i = 0;
  while (i < n && a.ids[i] === b.ids[i] && a.positions[i] === b.positions[i]) i++;
  return i;
}

/** Position ids 0..n-1 offset by `start`. */
export function sequentialPositions(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}
