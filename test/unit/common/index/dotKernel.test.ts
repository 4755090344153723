import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBackend, paddedStride } from '../../../../src/common/index/dotKernel.ts';
import { RowMatrix, interleaveBlocks } from '../../../../src/common/index/rowMatrix.ts';
import { Prng } from '../../../../src/common/index/prng.ts';

function randomRows(rng: Prng, n: number, dim: number): Float32Array {
  return Float32Array.from({ length: n * dim }, () => rng.next() * 2 - 1);
}

function reference(q: Float32Array, rows: Float32Array, dim: number): number[] {
  const n = rows.length / dim;
  return Array.from({ length: n }, (_, r) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += q[d]! * rows[r * dim + d]!;
    return s;
  });
}

test('this runtime runs the WebAssembly SIMD kernel', () => {
  assert.equal(defaultBackend(), 'wasm');
});

test('rows are padded to a multiple of 16 floats', () => {
  assert.deepEqual([1, 16, 17, 384, 385].map(paddedStride), [16, 16, 32, 384, 400]);
});

for (const dim of [3, 16, 100, 384]) {
  test(`dot1: wasm equals JS and a float64 reference within 1e-5 (dim ${dim})`, () => {
    const rng = new Prng(dim);
    const n = 37;
    const data = randomRows(rng, n, dim);
    const q = randomRows(rng, 1, dim);
    const got: Record<string, Float32Array> = {};
    for (const backend of ['wasm', 'js'] as const) {
      const m = new RowMatrix(dim, 0, backend);
      assert.equal(m.backend, backend);
      m.append(data, 0, n);
      m.setQuery(q);
      got[backend] = new Float32Array(n);
      m.score(0, n, got[backend]!);
    }
    const ref = reference(q, data, dim);
    for (let r = 0; r < n; r++) {
      assert.ok(Math.abs(got.wasm![r]! - got.js![r]!) < 1e-5, `row ${r}: ${got.wasm![r]} vs ${got.js![r]}`);
      assert.ok(Math.abs(got.wasm![r]! - ref[r]!) < 1e-5);
    }
  });

  test(`dot4: four interleaved queries equal four dot1 calls within 1e-5 (dim ${dim})`, () => {
    const rng = new Prng(100 + dim);
    const n = 29;
    const data = randomRows(rng, n, dim);
    const qs = randomRows(rng, 4, dim);
    for (const backend of ['wasm', 'js'] as const) {
      const m = new RowMatrix(dim, n, backend);
      m.append(data, 0, n);
      const out = new Float32Array(4 * n);
      m.setQueryBlock(interleaveBlocks(qs, dim, 4), 0);
      m.score4(0, n, out);
      for (let j = 0; j < 4; j++) {
        const ref = reference(qs.subarray(j * dim, (j + 1) * dim), data, dim);
        for (let r = 0; r < n; r++) assert.ok(Math.abs(out[4 * r + j]! - ref[r]!) < 1e-5, `${backend} q${j} row ${r}`);
      }
    }
  });
}

test('scoring more rows than the output scratch holds, and after the memory grows', () => {
  const dim = 8;
  const rng = new Prng(7);
  const m = new RowMatrix(dim, 1);
  const data = randomRows(rng, 9000, dim);
  for (let r = 0; r < 9000; r++) m.append(data, r * dim);
  const q = randomRows(rng, 1, dim);
  m.setQuery(q);
  const out = new Float32Array(9000);
  m.score(0, 9000, out);
  const ref = reference(q, data, dim);
  assert.ok(out.every((v, r) => Math.abs(v - ref[r]!) < 1e-5));
});
