/**
 * MurmurHash3 (x86, 32-bit) over the UTF-16 code units of a string, two units per 32-bit block.
 * Equal to the reference algorithm run on the string's UTF-16LE bytes, so it can be checked against it.
 * Used for feature hashing: fast, well mixed, and seedable to get independent hashes of one token.
 */
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixK(k: number): number {
  let x = Math.imul(k, C1);
  x = (x << 15) | (x >>> 17);
  return Math.imul(x, C2);
}

/** The murmur3 finaliser: a full avalanche of 32 bits. */
export function fmix32(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export function murmur3(s: string, seed = 0): number {
  let h = seed >>> 0;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    h ^= mixK(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < n) h ^= mixK(s.charCodeAt(i));
  h ^= n * 2;
  return fmix32(h);
}
