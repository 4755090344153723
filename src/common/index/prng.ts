import { createRng, type Rng } from '../random.ts';

/**
 * The project's seeded PRNG (`common/random.ts`, mulberry32) with integer, Gaussian and sampling draws.
 * Deterministic across platforms.
 */
export class Prng {
  /** Uniform in [0, 1). */
  readonly next: Rng;
  private spare: number | undefined;

  constructor(seed: number) {
    this.next = createRng((seed >>> 0) ^ 0x9e3779b9);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller, both values used). */
  gaussian(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }

  /** `m` distinct indices from [0, n), in draw order (partial Fisher–Yates). */
  sample(n: number, m: number): Uint32Array {
    const take = Math.min(n, m);
    const perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = 0; i < take; i++) {
      const j = i + this.int(n - i);
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    return perm.slice(0, take);
  }
}
