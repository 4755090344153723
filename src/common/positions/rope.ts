/**
 * RoPE re-rotation of cached keys. A key cached at position p holds k·R(p·ω); moving it to p + Δ only needs
 * R(Δ·ω), because rotations compose. Layout is Hugging Face's rotate-half: dimension i pairs with
 * i + headDim/2 and turns at ω_i = θ^(−2i/d), adjusted by `rope_scaling` `linear` or `llama3`.
 * Position-dependent scalings (`dynamic`, `yarn` with its attention factor) are refused.
 */
import type { RopeParams } from '../generate/modelConfig.ts';

export class UnsupportedRopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedRopeError';
  }
}

function num(o: Readonly<Record<string, unknown>>, key: string, fallback?: number): number {
  const v = o[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (fallback !== undefined) return fallback;
  throw new UnsupportedRopeError(`rope_scaling.${key} is missing`);
}

function llama3(freqs: Float64Array, s: Readonly<Record<string, unknown>>): void {
  const factor = num(s, 'factor');
  const low = num(s, 'low_freq_factor', 1);
  const high = num(s, 'high_freq_factor', 4);
  const original = num(s, 'original_max_position_embeddings', 8192);
  const lowWavelen = original / low;
  const highWavelen = original / high;
  for (let i = 0; i < freqs.length; i++) {
    const f = freqs[i]!;
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highWavelen) continue;
    if (wavelen > lowWavelen) freqs[i] = f / factor;
    else {
      const smooth = (original / wavelen - low) / (high - low);
      freqs[i] = (1 - smooth) * (f / factor) + smooth * f;
    }
  }
}

/** ω_i for i < headDim/2, after scaling. */
export function inverseFrequencies(rope: RopeParams): Float64Array {
  const half = rope.headDim / 2;
  if (!Number.isInteger(half)) throw new UnsupportedRopeError(`odd head dimension ${rope.headDim}`);
  const freqs = new Float64Array(half);
  for (let i = 0; i < half; i++) freqs[i] = 1 / rope.theta ** ((2 * i) / rope.headDim);
  const s = rope.scaling;
  const type = s ? String(s['rope_type'] ?? s['type'] ?? 'default') : 'default';
  if (type === 'default') return freqs;
  if (type === 'linear') {
    const factor = num(s ?? {}, 'factor');
    return freqs.map((f) => f / factor);
  }
  if (type === 'llama3') {
    llama3(freqs, s ?? {});
    return freqs;
  }
  throw new UnsupportedRopeError(`rope_scaling type '${type}' depends on the sequence length; cached keys cannot be moved`);
}

/**
 * Rotates keys laid out [rows, headDim] (any leading heads × positions flattened into rows) by `delta`
 * positions. Returns a new array; `delta` may be negative.
 */
export function rerotateKeys(keys: Float32Array, headDim: number, delta: number, freqs: Float64Array): Float32Array {
  const half = headDim / 2;
  if (freqs.length !== half || keys.length % headDim !== 0) throw new Error(`keys of length ${keys.length} do not split into rows of ${headDim}`);
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let i = 0; i < half; i++) {
    cos[i] = Math.cos(delta * freqs[i]!);
    sin[i] = Math.sin(delta * freqs[i]!);
  }
  const out = new Float32Array(keys.length);
  for (let row = 0; row < keys.length; row += headDim) {
    for (let i = 0; i < half; i++) {
      const a = keys[row + i]!;
      const b = keys[row + i + half]!;
      out[row + i] = a * cos[i]! - b * sin[i]!;
      out[row + i + half] = b * cos[i]! + a * sin[i]!;
    }
  }
  return out;
}
