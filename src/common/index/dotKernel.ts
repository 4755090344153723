import { DOT_KERNEL_WASM_BASE64 } from './dotKernelWasm.ts';

/** Which implementation runs the dot-product loops: WebAssembly SIMD (default where supported) or plain JS. */
export type KernelBackend = 'wasm' | 'js';

/** Rows are padded to a multiple of this many floats so the SIMD loops need no tail handling. */
export const ROW_ALIGN_FLOATS = 16;

const PAGE_BYTES = 65536;
/** wasm32 linear memory cannot exceed 4 GiB (65536 pages). */
const MAX_PAGES = 65536;

interface KernelExports {
  dot1(q: number, rows: number, n: number, stride: number, out: number): void;
  dot4(q: number, rows: number, n: number, stride: number, out: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bin = atob(DOT_KERNEL_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** 'wasm' when this runtime validates the SIMD module, else 'js'. */
export function defaultBackend(): KernelBackend {
  return wasmModule() ? 'wasm' : 'js';
}

export function paddedStride(dim: number): number {
  return Math.max(ROW_ALIGN_FLOATS, Math.ceil(dim / ROW_ALIGN_FLOATS) * ROW_ALIGN_FLOATS);
}

/**
 * A growable float buffer with the dot kernels bound to it. All offsets are in floats and must be
 * multiples of 4; `stride` is a multiple of ROW_ALIGN_FLOATS. `f32` is replaced when the memory grows,
 * so never keep it across a `reserve` call.
 */
export class KernelMemory {
  readonly backend: KernelBackend;
  f32: Float32Array;
  private readonly memory: WebAssembly.Memory | undefined;
  private readonly kernel: KernelExports | undefined;

  constructor(floats: number, backend: KernelBackend = defaultBackend()) {
    const mod = backend === 'wasm' ? wasmModule() : null;
    this.backend = mod ? 'wasm' : 'js';
    if (mod) {
      this.memory = new WebAssembly.Memory({ initial: pagesFor(floats) });
      const instance = new WebAssembly.Instance(mod, { env: { memory: this.memory } });
      this.kernel = instance.exports as unknown as KernelExports;
      this.f32 = new Float32Array(this.memory.buffer);
    } else {
      this.f32 = new Float32Array(Math.max(4, floats));
    }
  }

  get capacity(): number {
    return this.f32.length;
  }

  /** Grows (never shrinks) to hold at least `floats` floats, keeping the contents. */
  reserve(floats: number): void {
    if (floats <= this.f32.length) return;
    const want = Math.max(floats, Math.floor(this.f32.length * 1.5));
    if (this.memory) {
      const pages = Math.min(MAX_PAGES, pagesFor(want));
      if (pages * PAGE_BYTES < floats * 4) throw new RangeError(`KernelMemory: ${floats} floats exceed 4 GiB`);
      this.memory.grow(pages - this.memory.buffer.byteLength / PAGE_BYTES);
      this.f32 = new Float32Array(this.memory.buffer);
    } else {
      const next = new Float32Array(want);
      next.set(this.f32);
      this.f32 = next;
    }
  }

  /** out[r] = q · row_r for n rows starting at `rows`, one every `stride` floats. */
  dot1(q: number, rows: number, n: number, stride: number, out: number): void {
    if (this.kernel) this.kernel.dot1(q * 4, rows * 4, n, stride * 4, out * 4);
    else this.jsDot1(q, rows, n, stride, out);
  }

  /**
   * out[4r+j] = q_j · row_r for four queries stored interleaved by 4-float chunk (float i of query j at
   * q + 4·(4·⌊i/4⌋ + j) + i mod 4); use `interleaveQuery` to write them.
   */
  dot4(q: number, rows: number, n: number, stride: number, out: number): void {
    if (this.kernel) this.kernel.dot4(q * 4, rows * 4, n, stride * 4, out * 4);
    else this.jsDot4(q, rows, n, stride, out);
  }

  /** The scalar reference kernels (the ABI mirrors the wasm exports, hence five arguments). */
  private jsDot1(q: number, rows: number, n: number, stride: number, out: number): void {
    const f = this.f32;
    for (let r = 0; r < n; r++) {
      const b = rows + r * stride;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let i = 0; i < stride; i += 4) {
        s0 += f[q + i]! * f[b + i]!;
        s1 += f[q + i + 1]! * f[b + i + 1]!;
        s2 += f[q + i + 2]! * f[b + i + 2]!;
        s3 += f[q + i + 3]! * f[b + i + 3]!;
      }
      f[out + r] = s0 + s1 + (s2 + s3);
    }
  }

  private jsDot4(q: number, rows: number, n: number, stride: number, out: number): void {
    const f = this.f32;
    for (let r = 0; r < n; r++) {
      const b = rows + r * stride;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let c = 0, qc = q; c < stride; c += 4, qc += 16) {
        for (let l = 0; l < 4; l++) {
          const x = f[b + c + l]!;
          s0 += x * f[qc + l]!;
          s1 += x * f[qc + 4 + l]!;
          s2 += x * f[qc + 8 + l]!;
          s3 += x * f[qc + 12 + l]!;
        }
      }
      const o = out + 4 * r;
      f[o] = s0;
      f[o + 1] = s1;
      f[o + 2] = s2;
      f[o + 3] = s3;
    }
  }
}

/** Writes query `j` (0..3) of a dot4 block starting at float offset `q`. */
export function interleaveQuery(f: Float32Array, q: number, j: number, src: ArrayLike<number>): void {
  const full = src.length & ~3;
  for (let c = 0, o = q + 4 * j; c < full; c += 4, o += 16) {
    f[o] = src[c]!;
    f[o + 1] = src[c + 1]!;
    f[o + 2] = src[c + 2]!;
    f[o + 3] = src[c + 3]!;
  }
  for (let i = full; i < src.length; i++) f[q + 4 * (i & ~3) + 4 * j + (i & 3)] = src[i]!;
}

function pagesFor(floats: number): number {
  return Math.max(1, Math.ceil((floats * 4) / PAGE_BYTES));
}
