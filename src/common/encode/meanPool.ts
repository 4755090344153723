/**
 * Sentence-encoder pooling: the mean of a sequence's token vectors over its attention mask, scaled to unit
 * length (what sentence-transformers' `mean` pooling + `Normalize` do).
 */

export interface HiddenShape {
  readonly batch: number;
  readonly seq: number;
  readonly dim: number;
}

/**
 * `hidden` is `[batch, seq, dim]` row-major, `mask` `[batch, seq]` (non-zero = a real token). Returns
 * `batch` rows of `dim` floats in one array: row b = normalise(Σ_s mask[b,s]·h[b,s] / Σ_s mask[b,s]).
 * A row without any unmasked token, or whose mean is the zero vector, stays all zero.
 */
export function meanPoolNormalized(hidden: Float32Array, mask: ArrayLike<number>, shape: HiddenShape): Float32Array {
  const { batch, seq, dim } = shape;
  if (hidden.length !== batch * seq * dim) throw new Error(`hidden state has ${hidden.length} values, expected ${batch}×${seq}×${dim}`);
  if (mask.length !== batch * seq) throw new Error(`attention mask has ${mask.length} values, expected ${batch}×${seq}`);
  const out = new Float32Array(batch * dim);
  const acc = new Float64Array(dim);
  for (let b = 0; b < batch; b++) {
    acc.fill(0);
    let count = 0;
    for (let s = 0; s < seq; s++) {
      if (!mask[b * seq + s]) continue;
      count++;
      const off = (b * seq + s) * dim;
      for (let h = 0; h < dim; h++) acc[h]! += hidden[off + h]!;
    }
    writeUnit(acc, count, out, b * dim);
  }
  return out;
}

/** out[off..off+dim) = normalise(acc / count); zeros when count is 0 or the mean is zero. */
function writeUnit(acc: Float64Array, count: number, out: Float32Array, off: number): void {
  if (count === 0) return;
  let norm = 0;
  for (let h = 0; h < acc.length; h++) norm += acc[h]! * acc[h]!;
  // the 1/count factor cancels in the normalisation: normalise(acc / n) = acc / |acc|
  if (norm === 0) return;
  const inv = 1 / Math.sqrt(norm);
  for (let h = 0; h < acc.length; h++) out[off + h] = acc[h]! * inv;
}
