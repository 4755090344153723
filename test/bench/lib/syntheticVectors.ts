// Seeded synthetic "clustered embedding" vectors for the index benchmark.
//
// Generator (all unit vectors in R^dim, one Prng per stream so base and queries never share draws):
//   topics   t_1..t_G          uniform on the sphere (G = `topics`)
//   centres  c_j = unit(t_{g(j)} + spread·z),     g(j) uniform, z ~ N(0, I/dim)  (so ‖z‖ ≈ 1)
//   weights  w_j ∝ exp(0.7·N(0,1))                 (log-normal cluster sizes: a few big, many small)
//   noise    σ_j uniform in [noiseMin, noiseMax]   (per centre)
//   point    x = unit(c_j + σ_j·z),  j ~ w           (base set: stream "base"; queries: stream "query")
// With the defaults (spread 1, σ ∈ [0.6, 1.0]): cos(x, c_j) ≈ 0.71–0.86, cos between centres of one topic
// ≈ 0.5, so neighbouring blobs overlap a little; within a blob the noise is isotropic, so the nearest
// neighbours of a query are spread over its whole blob (the hard case for graph and partition indexes).
import { Prng } from '../../../src/common/index/prng.ts';

export interface MixtureSpec {
  readonly dim: number;
  readonly centers: number;
  readonly topics: number;
  readonly spread: number;
  readonly noiseMin: number;
  readonly noiseMax: number;
  readonly seed: number;
}

export const DEFAULT_MIXTURE: MixtureSpec = { dim: 384, centers: 2000, topics: 64, spread: 1, noiseMin: 0.6, noiseMax: 1, seed: 42 };

export interface Mixture {
  readonly spec: MixtureSpec;
  readonly centers: Float32Array;
  readonly cumulative: Float64Array;
  readonly noise: Float32Array;
}

export function makeMixture(spec: MixtureSpec): Mixture {
  const rng = new Prng(spec.seed);
  const topics = new Float32Array(spec.topics * spec.dim);
  for (let t = 0; t < spec.topics; t++) noisyUnit(rng, { base: undefined, scale: 1, out: topics, off: t * spec.dim, dim: spec.dim });
  const centers = new Float32Array(spec.centers * spec.dim);
  const cumulative = new Float64Array(spec.centers);
  const noise = new Float32Array(spec.centers);
  let total = 0;
  for (let j = 0; j < spec.centers; j++) {
    const g = rng.int(spec.topics);
    const base = topics.subarray(g * spec.dim, (g + 1) * spec.dim);
    noisyUnit(rng, { base, scale: spec.spread, out: centers, off: j * spec.dim, dim: spec.dim });
    total += Math.exp(0.7 * rng.gaussian());
    cumulative[j] = total;
    noise[j] = spec.noiseMin + (spec.noiseMax - spec.noiseMin) * rng.next();
  }
  for (let j = 0; j < spec.centers; j++) cumulative[j]! /= total;
  return { spec, centers, cumulative, noise };
}

/** n points of the mixture from the named stream ("base", "query", "calibration", …). */
export function samplePoints(m: Mixture, n: number, stream: string): Float32Array {
  const { dim } = m.spec;
  const rng = new Prng(m.spec.seed * 1000003 + hashString(stream));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const j = pickCenter(m.cumulative, rng.next());
    const base = m.centers.subarray(j * dim, (j + 1) * dim);
    noisyUnit(rng, { base, scale: m.noise[j]!, out, off: i * dim, dim });
  }
  return out;
}

interface NoisyArgs {
  readonly base: Float32Array | undefined;
  readonly scale: number;
  readonly out: Float32Array;
  readonly off: number;
  readonly dim: number;
}

/** out[off..off+dim) = unit(base + scale·z), z ~ N(0, I/dim). */
function noisyUnit(rng: Prng, a: NoisyArgs): void {
  const sd = a.scale / Math.sqrt(a.dim);
  let norm = 0;
  for (let d = 0; d < a.dim; d++) {
    const v = (a.base ? a.base[d]! : 0) + sd * rng.gaussian();
    a.out[a.off + d] = v;
    norm += v * v;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let d = 0; d < a.dim; d++) a.out[a.off + d]! *= inv;
}

function pickCenter(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
