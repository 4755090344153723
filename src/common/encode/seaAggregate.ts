/**
 * SEA aggregation: the vector of a chunk (or a file) from the vectors of its blocks.
 *
 * With trained attention weights `w` (one per dimension) and bias `b`:
 *
 *     s_i = w·e_i + b          a = softmax(s)          e = ½ Σ_i a_i e_i + ½ mean_i(e_i)
 *
 * then `e` is scaled to unit length (the index compares unit vectors by dot product). Without weights
 * the result is the normalised mean of the blocks. A scalar `b` shifts every s_i alike and so cancels in
 * the softmax; it is kept so that trained heads load unchanged. The softmax subtracts max(s) first, so
 * large scores do not overflow.
 */

export interface SeaWeights {
  readonly w: ArrayLike<number>;
  readonly b: number;
}

function checkBlocks(blocks: readonly ArrayLike<number>[]): number {
  if (blocks.length === 0) throw new Error('SEA aggregation needs at least one block vector');
  const dim = blocks[0]!.length;
  for (const e of blocks) if (e.length !== dim) throw new Error(`block vectors differ in dimension (${dim} and ${e.length})`);
  return dim;
}

/** The softmax attention a_i = softmax(w·e_i + b) over the blocks. */
export function seaAttention(blocks: readonly ArrayLike<number>[], weights: SeaWeights): Float64Array {
  const dim = checkBlocks(blocks);
  if (weights.w.length !== dim) throw new Error(`SEA weights have dimension ${weights.w.length}, blocks ${dim}`);
  const s = blocks.map((e) => {
    let v = weights.b;
    for (let h = 0; h < dim; h++) v += weights.w[h]! * e[h]!;
    return v;
  });
  const max = Math.max(...s);
  const a = Float64Array.from(s, (v) => Math.exp(v - max));
  const sum = a.reduce((x, y) => x + y, 0);
  for (let i = 0; i < a.length; i++) a[i]! /= sum;
  return a;
}

/** Σ_i c_i e_i for per-block coefficients c. */
function weightedSum(blocks: readonly ArrayLike<number>[], coefficients: ArrayLike<number>, dim: number): Float64Array {
  const out = new Float64Array(dim);
  blocks.forEach((e, i) => {
    const c = coefficients[i]!;
    for (let h = 0; h < dim; h++) out[h]! += c * e[h]!;
  });
  return out;
}

function unit(v: Float64Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return Float32Array.from(v, (x) => x * inv);
}

/** The chunk vector of its blocks: the normalised SEA form with `weights`, the normalised mean without. */
export function seaAggregate(blocks: readonly ArrayLike<number>[], weights?: SeaWeights): Float32Array {
  const dim = checkBlocks(blocks);
  const n = blocks.length;
  const coefficients = new Float64Array(n).fill(1 / n);
  if (weights) {
    const a = seaAttention(blocks, weights);
    for (let i = 0; i < n; i++) coefficients[i] = 0.5 * a[i]! + 0.5 / n;
  }
  return unit(weightedSum(blocks, coefficients, dim));
}
