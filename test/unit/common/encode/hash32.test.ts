import { test } from 'node:test';
import assert from 'node:assert/strict';
import { murmur3 } from '../../../../src/common/encode/hash32.ts';

/** Straight byte-wise MurmurHash3 x86_32, the reference the string version must match. */
function murmur3Bytes(bytes: Uint8Array, seed: number): number {
  const mix = (k: number) => Math.imul(((Math.imul(k, 0xcc9e2d51) << 15) | (Math.imul(k, 0xcc9e2d51) >>> 17)), 0x1b873593);
  let h = seed >>> 0;
  const blocks = bytes.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    h ^= mix(bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  for (let j = bytes.length - 1; j >= blocks; j--) k = (k << 8) | bytes[j]!;
  if (bytes.length > blocks) h ^= mix(k);
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function utf16le(s: string): Uint8Array {
  const b = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    b[2 * i] = s.charCodeAt(i) & 0xff;
    b[2 * i + 1] = s.charCodeAt(i) >>> 8;
  }
  return b;
}

test('the byte-wise reference matches published MurmurHash3 x86_32 vectors', () => {
  const enc = new TextEncoder();
  assert.equal(murmur3Bytes(enc.encode(''), 0), 0);
  assert.equal(murmur3Bytes(enc.encode(''), 1), 0x514e28b7);
  assert.equal(murmur3Bytes(enc.encode('Hello, world!'), 1234), 0xfaf6cdb3);
  assert.equal(murmur3Bytes(enc.encode('The quick brown fox jumps over the lazy dog'), 0), 0x2e4ff723);
});

test('murmur3 over a string equals the reference over its UTF-16LE bytes', () => {
  for (const s of ['', 'a', 'ab', 'abc', 'orderTotal', 'größe', '日本語のテキスト', 'x'.repeat(101)]) {
    for (const seed of [0, 1, 0x9e3779b1]) assert.equal(murmur3(s, seed), murmur3Bytes(utf16le(s), seed), `${s}/${seed}`);
  }
});

test('different seeds give unrelated hashes', () => {
  let same = 0;
  for (let i = 0; i < 1000; i++) if ((murmur3(`t${i}`, 1) & 1) === (murmur3(`t${i}`, 2) & 1)) same++;
  assert.ok(same > 400 && same < 600, `sign bits agree ${same}/1000`);
});
