import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource, isCancellationError } from '../../../../src/common/cancellation.ts';
import type { Encoder } from '../../../../src/common/encode/encoder.ts';
import { openOnnxEncoder, type OnnxEncoder, type OnnxEncoderOptions } from '../../../../src/node/encode/onnxEncoder.ts';
import { bundleWorkers, maxAbsDiff, norm, referenceVectors, TEXTS, TINY_ENCODER, TINY_ENCODER_NO_TYPES } from './encoderTestKit.ts';

async function withEncoder<T>(dir: string, o: OnnxEncoderOptions, f: (e: OnnxEncoder) => Promise<T>): Promise<T> {
  const e = await openOnnxEncoder(dir, { threads: 1, ...o });
  try {
    return await f(e);
  } finally {
    await e.dispose();
  }
}

describe('OnnxEncoder', () => {
  test('tiny-encoder vectors equal a direct onnxruntime session + mean pool (fp32, worker thread, batched)', async () => {
    const { worker } = await bundleWorkers();
    const want = await referenceVectors(TINY_ENCODER, TEXTS);
    const got = await withEncoder(TINY_ENCODER, { precision: 'fp32', worker, batchSize: 3 }, async (e) => {
      assert.equal(e.runsIn, 'worker');
      assert.equal(e.dim, 32);
      assert.equal(e.folder.precision, 'fp32');
      return e.encode(TEXTS);
    });
    assert.equal(got.length, TEXTS.length);
    got.forEach((v, i) => assert.ok(maxAbsDiff(v, want[i]!) <= 1e-5, `text ${i}: max |Δ| = ${maxAbsDiff(v, want[i]!)}`));
  });

  test('a graph without token_type_ids is fed without them, and matches its reference', async () => {
    const want = await referenceVectors(TINY_ENCODER_NO_TYPES, TEXTS);
    const got = await withEncoder(TINY_ENCODER_NO_TYPES, { precision: 'fp32', worker: 'in-process', batchSize: 4 }, (e) => e.encode(TEXTS));
    got.forEach((v, i) => assert.ok(maxAbsDiff(v, want[i]!) <= 1e-5, `text ${i}: max |Δ| = ${maxAbsDiff(v, want[i]!)}`));
    const typed = await referenceVectors(TINY_ENCODER, TEXTS.slice(0, 1));
    assert.ok(maxAbsDiff(got[0]!, typed[0]!) > 1e-3, 'another model, other vectors');
  });

  test('every vector has unit length; order is kept whatever the batch size; duplicates are computed once', async () => {
    const texts = [...TEXTS, TEXTS[0]!, TEXTS[2]!];
    const runs = await withEncoder(TINY_ENCODER, { precision: 'fp32', worker: 'in-process', batchSize: 1, memoryCacheEntries: 0 }, async (e) => {
      const one = await e.encode(texts);
      assert.equal(e.stats.texts, TEXTS.length, 'the two repeated texts are not sent again');
      return one;
    });
    for (const batchSize of [2, 5, 64]) {
      const other = await withEncoder(TINY_ENCODER, { precision: 'fp32', worker: 'in-process', batchSize, memoryCacheEntries: 0 }, (e) => e.encode(texts));
      other.forEach((v, i) => assert.ok(maxAbsDiff(v, runs[i]!) <= 1e-5, `batch ${batchSize}, text ${i}`));
    }
    for (const v of runs) assert.ok(Math.abs(norm(v) - 1) < 1e-5, `norm ${norm(v)}`);
    assert.deepEqual(runs[TEXTS.length], runs[0]);
  });

  test('q8 loads model_quantized.onnx, stays close to fp32 and has its own id', async () => {
    const [fp32, q8] = await Promise.all(
      (['fp32', 'q8'] as const).map((precision) => withEncoder(TINY_ENCODER, { precision, worker: 'in-process' }, async (e) => ({ id: e.id, v: await e.encode(TEXTS), file: e.folder.onnxFile }))),
    );
    assert.match(q8!.file, /model_quantized\.onnx$/);
    assert.notEqual(fp32!.id, q8!.id);
    assert.match(q8!.id, /^onnx-mean-v1-q8-t512-d32-[0-9a-f]{16}-[0-9a-f]{8}$/);
    q8!.v.forEach((v, i) => {
      let dot = 0;
      for (let h = 0; h < v.length; h++) dot += v[h]! * fp32!.v[i]![h]!;
      assert.ok(dot > 0.95, `cos(q8, fp32) of text ${i} = ${dot}`);
    });
  });

  test('texts are truncated to the token limit, keeping the closing [SEP]; the limit is part of the id', async () => {
    const long = 'alpha beta gamma delta '.repeat(400);
    await withEncoder(TINY_ENCODER, { precision: 'fp32', worker: 'in-process', maxTokens: 16 }, async (e) => {
      assert.equal(e.folder.maxTokens, 16);
      assert.match(e.id, /-t16-/);
      const [a, b] = await e.encode([long, long.slice(0, 200)]);
      assert.ok(maxAbsDiff(a!, b!) < 1e-6, 'only the first 14 word pieces count');
    });
  });

  test('works as the project Encoder; the same id in the worker and in-process, the same vectors', async () => {
    const { worker } = await bundleWorkers();
    const [w, p] = await Promise.all(
      [worker, 'in-process'].map((mode) => withEncoder(TINY_ENCODER, { precision: 'fp32', worker: mode }, async (e: Encoder) => ({ id: e.id, dim: e.dim, v: await e.encode(TEXTS.slice(0, 3)) }))),
    );
    assert.equal(w!.id, p!.id);
    w!.v.forEach((v, i) => assert.ok(maxAbsDiff(v, p!.v[i]!) < 1e-6));
  });

  test('cancellation rejects the call at once, and the next call works', async () => {
    await withEncoder(TINY_ENCODER, { precision: 'fp32', worker: 'in-process', batchSize: 1, memoryCacheEntries: 0 }, async (e) => {
      const source = new CancellationTokenSource();
      const many = Array.from({ length: 400 }, (_, i) => `${TEXTS[2]} ${i}`);
      const call = e.encode(many, source.token);
      setTimeout(() => source.cancel(), 20);
      await assert.rejects(call, (err: unknown) => isCancellationError(err));
      assert.ok(e.stats.batches < many.length, `stopped after ${e.stats.batches} batches`);
      const [v] = await e.encode(['after cancel']);
      assert.ok(Math.abs(norm(v!) - 1) < 1e-5);
      source.dispose();
    });
  });
});
