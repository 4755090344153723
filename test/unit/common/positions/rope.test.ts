import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inverseFrequencies, rerotateKeys, UnsupportedRopeError } from '../../../../src/common/positions/rope.ts';

const rope = { theta: 10000, headDim: 8, scaling: null };

/** Applies RoPE at position p to raw vectors (rotate-half layout), as the model does. */
function applyRope(raw: Float32Array, p: number): Float32Array {
  return rerotateKeys(raw, 8, p, inverseFrequencies(rope));
}

test('re-rotating a key cached at p by Δ equals the key computed at p + Δ', () => {
  const raw = Float32Array.from({ length: 16 }, (_, i) => Math.sin(i + 1));
  const freqs = inverseFrequencies(rope);
  const moved = rerotateKeys(applyRope(raw, 7), 8, 1000 - 7, freqs);
  const direct = applyRope(raw, 1000);
  for (let i = 0; i < raw.length; i++) assert.ok(Math.abs(moved[i]! - direct[i]!) < 1e-5, `${i}`);
  assert.deepEqual(rerotateKeys(raw, 8, 0, freqs), raw);
});

test('rotate-half layout pairs i with i + d/2, frequencies θ^(-2i/d)', () => {
  const freqs = inverseFrequencies(rope);
  assert.deepEqual([...freqs].map((f) => Number(f.toPrecision(6))), [1, 0.1, 0.01, 0.001]);
  const e0 = new Float32Array([1, 0, 0, 0, 0, 0, 0, 0]);
  const r = rerotateKeys(e0, 8, Math.PI / 2, freqs);
  assert.ok(Math.abs(r[0]!) < 1e-6 && Math.abs(r[4]! - 1) < 1e-6);
});

test('scaling: linear divides frequencies, llama3 keeps high ones, dynamic is refused', () => {
  const linear = inverseFrequencies({ ...rope, scaling: { type: 'linear', factor: 4 } });
  assert.ok(Math.abs(linear[1]! - 0.025) < 1e-12);
  const l3 = inverseFrequencies({ theta: 500000, headDim: 128, scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 } });
  const plain = inverseFrequencies({ theta: 500000, headDim: 128, scaling: null });
  assert.equal(l3[0], plain[0]);
  assert.ok(Math.abs(l3[63]! - plain[63]! / 8) < 1e-15);
  assert.throws(() => inverseFrequencies({ ...rope, scaling: { type: 'dynamic', factor: 2 } }), UnsupportedRopeError);
});
