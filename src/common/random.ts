/** A uniform draw in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32 (Tommy Ettinger): a small, fast, seedable generator of floats in [0, 1), 32-bit state.
 * Deterministic across platforms: everything is 32-bit integer arithmetic. The project's one PRNG.
 */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
