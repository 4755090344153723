/**
 * Reciprocal rank fusion (Cormack et al., 2009): score(i) = Σ over the lists of w · 1 / (k + rank_i), ranks
 * from 0, w the list's weight (default 1). Each list gives one value per item, higher first; equal values
 * are ordered by `tieBreak` (higher first), then by index. Pure.
 */
export function ranksOf(values: readonly number[], tieBreak: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || (tieBreak[b] ?? 0) - (tieBreak[a] ?? 0) || a - b);
  const ranks = new Array<number>(values.length);
  order.forEach((item, rank) => (ranks[item] = rank));
  return ranks;
}

export function reciprocalRankFusion(lists: readonly (readonly number[])[], k: number, tieBreak: readonly number[], weights: readonly number[] = []): number[] {
  const ranks = lists.map((values) => ranksOf(values, tieBreak));
  return tieBreak.map((_, i) => ranks.reduce((s, r, l) => s + (weights[l] ?? 1) / (k + (r[i] ?? 0)), 0));
}
