/** Small numeric helpers shared by the index: norms, log-sum-exp and quantiles. */

/** Dot product of `dim` floats of a (from aOff) and b (from bOff). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, dim: number, offsets: readonly [number, number] = [0, 0]): number {
  const [ao, bo] = offsets;
  let s = 0;
  for (let i = 0; i < dim; i++) s += a[ao + i]! * b[bo + i]!;
  return s;
}

/** Scales `dim` floats at `off` to unit length in place; returns the original norm (0 leaves them as is). */
export function normalizeInPlace(v: Float32Array | Float64Array, off: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += v[off + i]! * v[off + i]!;
  const norm = Math.sqrt(s);
  if (norm > 0 && Math.abs(norm - 1) > 1e-6) {
    const inv = 1 / norm;
    for (let i = 0; i < dim; i++) v[off + i]! *= inv;
  }
  return norm;
}

/** A unit-length Float32Array copy of `dim` floats of `src` from `off`. */
export function unitCopy(src: ArrayLike<number>, dim: number, off = 0): Float32Array {
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = src[off + i]!;
  normalizeInPlace(out, 0, dim);
  return out;
}

/** log Σ exp(x_i) over the first n values, stable (max subtracted); −∞ for an empty or all −∞ input. */
export function logSumExp(x: ArrayLike<number>, n = x.length): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (x[i]! > m) m = x[i]!;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(x[i]! - m);
  return m + Math.log(s);
}

/**
 * The p-quantile (0 ≤ p ≤ 1) of the first n values, linear interpolation between order statistics
 * (type 7, the default of R and NumPy). Sorts a copy; −∞ values count as the smallest.
 */
export function quantile(values: ArrayLike<number>, p: number, n = values.length): number {
  if (n === 0) return NaN;
  const sorted = Float64Array.from({ length: n }, (_, i) => values[i]!).sort();
  return quantileOfSorted(sorted, p);
}

/** The p-quantile of ascending `sorted` (type 7). */
export function quantileOfSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(n - 1, lo + 1)]!;
  return a === b || !Number.isFinite(a) || !Number.isFinite(b) ? (h > lo ? b : a) : a + (h - lo) * (b - a);
}

/**
 * Imbalance factor k·Σ n_i² / (Σ n_i)² over k clusters: 1 when all sizes are equal, larger when skewed
 * (the measure Faiss prints for IVF lists). 1 for an empty input.
 */
export function imbalance(counts: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < counts.length; i++) {
    s += counts[i]!;
    s2 += counts[i]! * counts[i]!;
  }
  return s > 0 ? (counts.length * s2) / (s * s) : 1;
}
