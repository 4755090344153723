/** Means with seeded percentile-bootstrap 95% intervals (deterministic: same values, same interval). */
import { Prng } from '../index/prng.ts';

export interface MeanInterval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

export const DEFAULT_BOOTSTRAP_SAMPLES = 1000;

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Mean of `values` and the 2.5th/97.5th percentiles of `samples` resampled means. */
export function bootstrapMean(values: readonly number[], seed = 1, samples = DEFAULT_BOOTSTRAP_SAMPLES): MeanInterval {
  const n = values.length;
  if (n === 0) return { mean: 0, low: 0, high: 0, n: 0 };
  const rng = new Prng(seed);
  const means = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[rng.int(n)] ?? 0;
    means[s] = sum / n;
  }
  means.sort();
  const at = (q: number): number => means[Math.min(samples - 1, Math.max(0, Math.floor(q * samples)))] ?? 0;
  return { mean: mean(values), low: at(0.025), high: at(0.975), n };
}

/** Median (p50) and other percentiles by nearest rank. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}
