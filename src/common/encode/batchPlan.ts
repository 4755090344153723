/**
 * Groups texts into model batches. Every row of a batch is padded to the batch's longest, so sorting by
 * token count first puts texts of similar length together and cuts the padding the model computes.
 */

/**
 * Indices of `lengths` in batches of at most `batchSize`, longest first (ties keep their order). The
 * first batch is the largest one, so a batch too big for memory fails at once rather than at the end.
 */
export function planBatches(lengths: readonly number[], batchSize: number): number[][] {
  const size = Math.max(1, Math.floor(batchSize));
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += size) batches.push(order.slice(i, i + size));
  return batches;
}

/** Padded token slots a plan computes (Σ batch rows × longest row), against Σ lengths for no padding. */
export function paddedTokens(lengths: readonly number[], batches: readonly (readonly number[])[]): number {
  let total = 0;
  for (const b of batches) total += b.length * Math.max(0, ...b.map((i) => lengths[i]!));
  return total;
}
