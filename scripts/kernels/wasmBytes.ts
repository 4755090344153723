// A minimal WebAssembly binary writer: just enough opcodes and sections for the dot-product kernels in
// buildDotKernel.ts. Opcode numbers are from the WebAssembly core spec (binary format, §5.4) and the
// fixed-width SIMD proposal (merged into the core spec 2.0).

export const OP = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Store: 0x38,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  f32Add: 0x92,
  simd: 0xfd,
} as const;

/** SIMD sub-opcodes (after the 0xfd prefix, LEB128-encoded). */
export const SIMD = {
  v128Load: 0,
  v128Const: 12,
  f32x4ExtractLane: 31,
  f32x4Add: 228,
  f32x4Mul: 230,
} as const;

export const TYPE = { i32: 0x7f, f32: 0x7d, v128: 0x7b, func: 0x60, blockVoid: 0x40 } as const;

export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** Instruction helpers: each returns the bytes of one instruction. */
export const I = {
  get: (i: number): number[] => [OP.localGet, ...uleb(i)],
  set: (i: number): number[] => [OP.localSet, ...uleb(i)],
  tee: (i: number): number[] => [OP.localTee, ...uleb(i)],
  i32: (v: number): number[] => [OP.i32Const, ...sleb(v)],
  simd: (sub: number): number[] => [OP.simd, ...uleb(sub)],
  /** v128.load with a static byte offset; alignment hint 2^4 = 16 bytes. */
  load: (offset: number): number[] => [OP.simd, ...uleb(SIMD.v128Load), 4, ...uleb(offset)],
  zero: (): number[] => [OP.simd, ...uleb(SIMD.v128Const), ...new Array<number>(16).fill(0)],
  lane: (l: number): number[] => [OP.simd, ...uleb(SIMD.f32x4ExtractLane), l],
  /** f32.store with a static byte offset; alignment hint 2^2 = 4 bytes. */
  storeF32: (offset: number): number[] => [OP.f32Store, 2, ...uleb(offset)],
};

export interface FuncDef {
  readonly name: string;
  readonly params: number;
  /** Extra locals, grouped by type: [count, type] pairs. */
  readonly locals: readonly (readonly [number, number])[];
  readonly body: number[];
}

/** A module that imports one memory `env.memory` and exports the given `(i32 × params) -> ()` functions. */
export function moduleBytes(funcs: readonly FuncDef[]): Uint8Array<ArrayBuffer> {
  const types = funcs.map((f) => [TYPE.func, ...uleb(f.params), ...new Array<number>(f.params).fill(TYPE.i32), 0]);
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]];
  const fnSec = funcs.map((_, i) => uleb(i));
  const exports = funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const codes = funcs.map((f) => {
    const body = [...vec(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.body, OP.end];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(fnSec)),
    ...section(7, vec(exports)),
    ...section(10, vec(codes)),
  ]);
}
