import { KernelMemory, interleaveQuery, paddedStride, type KernelBackend } from './dotKernel.ts';

/** Floats that `interleaveBlocks` needs for n vectors. */
export function blockFloats(dim: number, n: number): number {
  return Math.ceil(n / 4) * 4 * paddedStride(dim);
}

/** Packs n vectors of `dim` floats as ⌈n/4⌉ query blocks for `setQueryBlock` (missing ones repeat the last). */
export function interleaveBlocks(data: Float32Array, dim: number, n: number, into?: Float32Array): Float32Array {
  const stride = paddedStride(dim);
  const out = into ?? new Float32Array(blockFloats(dim, n));
  for (let i = 0; i < Math.ceil(n / 4) * 4; i++) {
    const src = Math.min(i, n - 1) * dim;
    interleaveQuery(out, (i >> 2) * 4 * stride, i & 3, data.subarray(src, src + dim));
  }
  return out;
}

/** Rows scored per kernel call: the output scratch holds 4 floats per row for dot4. */
const OUT_ROWS = 1024;

/**
 * A growable matrix of f32 rows of `dim` values, zero-padded to `stride`, living in one KernelMemory so
 * the dot kernels read it in place. Layout (floats): [query | 4 interleaved queries | output | rows…].
 * Set a query once, then score any number of row ranges against it.
 */
export class RowMatrix {
  readonly dim: number;
  readonly stride: number;
  private readonly mem: KernelMemory;
  private readonly q4: number;
  private readonly out: number;
  private readonly base: number;
  private count = 0;

  constructor(dim: number, capacity = 0, backend?: KernelBackend) {
    this.dim = dim;
    this.stride = paddedStride(dim);
    this.q4 = this.stride;
    this.out = 5 * this.stride;
    this.base = this.out + 4 * OUT_ROWS;
    this.mem = new KernelMemory(this.base + Math.max(1, capacity) * this.stride, backend);
  }

  get backend(): KernelBackend {
    return this.mem.backend;
  }

  get rows(): number {
    return this.count;
  }

  /** Bytes of row storage in use (padding included, scratch excluded). */
  get bytes(): number {
    return this.count * this.stride * 4;
  }

  /** Sets the row count, growing the storage when needed; new rows are zero. */
  resize(rows: number): void {
    this.mem.reserve(this.base + rows * this.stride);
    if (rows < this.count) this.mem.f32.fill(0, this.offset(rows), this.offset(this.count));
    this.count = rows;
  }

  /** Appends `n` rows read from packed `src` (dim floats each) at float offset `srcOff`; returns the first index. */
  append(src: ArrayLike<number>, srcOff = 0, n = 1): number {
    const first = this.count;
    this.resize(first + n);
    for (let r = 0; r < n; r++) this.setRow(first + r, src, srcOff + r * this.dim);
    return first;
  }

  setRow(r: number, src: ArrayLike<number>, srcOff = 0): void {
    const f = this.mem.f32;
    const o = this.offset(r);
    if (src instanceof Float32Array || src instanceof Float64Array) f.set(src.subarray(srcOff, srcOff + this.dim), o);
    else for (let i = 0; i < this.dim; i++) f[o + i] = src[srcOff + i]!;
  }

  /** A view of row r (dim floats). Invalid after the matrix grows: copy it if you keep it. */
  row(r: number): Float32Array {
    const o = this.offset(r);
    return this.mem.f32.subarray(o, o + this.dim);
  }

  /** Copies row r into `dst` at `dstOff`. */
  copyRow(r: number, dst: Float32Array | Float64Array, dstOff = 0): void {
    dst.set(this.row(r), dstOff);
  }

  /** The query that `score` uses. */
  setQuery(src: ArrayLike<number>, srcOff = 0): void {
    const f = this.mem.f32;
    for (let i = 0; i < this.dim; i++) f[i] = src[srcOff + i]!;
  }

  /** Query j (0..3) of the block that `score4` uses. */
  setQuery4(j: number, src: Float32Array | Float64Array, srcOff = 0): void {
    interleaveQuery(this.mem.f32, this.q4, j, src.subarray(srcOff, srcOff + this.dim));
  }

  /** All four queries of `score4` at once, from a block made by `interleaveBlocks` (4·stride floats at `off`). */
  setQueryBlock(blocks: Float32Array, off: number): void {
    this.mem.f32.set(blocks.subarray(off, off + 4 * this.stride), this.q4);
  }

  /** out[outOff + i] = query · row(start + i) for i < count. */
  score(start: number, count: number, out: Float32Array, outOff = 0): void {
    const f = this.mem;
    for (let done = 0; done < count; ) {
      const n = Math.min(4 * OUT_ROWS, count - done);
      f.dot1(0, this.offset(start + done), n, this.stride, this.out);
      out.set(f.f32.subarray(this.out, this.out + n), outOff + done);
      done += n;
    }
  }

  /** out[outOff + 4i + j] = query_j · row(start + i) for i < count, j < 4. */
  score4(start: number, count: number, out: Float32Array, outOff = 0): void {
    const f = this.mem;
    for (let done = 0; done < count; ) {
      const n = Math.min(OUT_ROWS, count - done);
      f.dot4(this.q4, this.offset(start + done), n, this.stride, this.out);
      out.set(f.f32.subarray(this.out, this.out + 4 * n), outOff + 4 * done);
      done += n;
    }
  }

  /** Σ_i weights[i] · row(r)[dims[i]] for i < n: a partial dot product over a few dimensions. */
  partialDot(r: number, dims: Int32Array, weights: Float32Array, n: number): number {
    const f = this.mem.f32;
    const o = this.offset(r);
    let s = 0;
    for (let i = 0; i < n; i++) s += weights[i]! * f[o + dims[i]!]!;
    return s;
  }

  /** A new matrix holding rows [start, start + n) of this one, in the same backend. */
  slice(start: number, n: number): RowMatrix {
    const m = new RowMatrix(this.dim, n, this.backend);
    m.resize(n);
    m.mem.f32.set(this.mem.f32.subarray(this.offset(start), this.offset(start + n)), m.base);
    return m;
  }

  private offset(r: number): number {
    return this.base + r * this.stride;
  }
}
