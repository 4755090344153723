// Execution providers: tried in order, each failure caught and logged, the one in use reported.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLogger } from '../../../../src/common/log.ts';
import type { ExecutionProvider } from '../../../../src/node/generate/sessionFactory.ts';
import { offeredProviders } from '../../../../src/node/generate/sessionFactory.ts';
import { openOnnxEncoder } from '../../../../src/node/encode/onnxEncoder.ts';
import { bundleWorkers, TINY_ENCODER } from './encoderTestKit.ts';

/** A provider name onnxruntime-node does not know: creating a session on it always throws. */
const MISSING = 'no-such-provider' as ExecutionProvider;

describe('encoder execution providers', () => {
  test('an injected failing provider is caught and logged, and the next one is used and reported (worker)', async () => {
    const { worker } = await bundleWorkers();
    const log = new MemoryLogger();
    const e = await openOnnxEncoder(TINY_ENCODER, { precision: 'fp32', threads: 1, worker, providers: [MISSING, 'cpu'], logger: log });
    try {
      assert.equal(e.provider, 'cpu');
      assert.deepEqual(e.failedProviders.map((f) => f.provider), [MISSING]);
      assert.match(e.failedProviders[0]!.error, /no-such-provider/);
      const messages = log.entries.map((x) => x.message);
      assert.ok(messages.some((m) => m.startsWith(`[encode] PROVIDER_FAILED ${MISSING}:`)), messages.join('\n'));
      assert.ok(messages.some((m) => m.startsWith('[encode] session on cpu')), 'the worker logs the session it made');
      assert.ok(messages.some((m) => m.startsWith(`[encode] encoder ${e.id} on cpu (worker); not used: ${MISSING} (`)), 'the chosen provider is reported');
      assert.equal((await e.encode(['x = 1'])).length, 1);
    } finally {
      await e.dispose();
    }
  });

  test('auto tries only the providers this onnxruntime-node offers, CPU last', async () => {
    const offered = offeredProviders();
    assert.ok(offered?.has('cpu'));
    const log = new MemoryLogger();
    const e = await openOnnxEncoder(TINY_ENCODER, { precision: 'fp32', threads: 1, worker: 'in-process', logger: log });
    try {
      const tried = [...e.failedProviders.map((f) => f.provider), e.provider];
      assert.deepEqual(tried, ['cuda', 'webgpu', 'cpu'].filter((p) => offered!.has(p)).slice(0, tried.length));
      for (const f of e.failedProviders) assert.ok(f.error.length > 0, `${f.provider} says why it was not used`);
    } finally {
      await e.dispose();
    }
  });

  test('when every provider fails, the error says what each one said', async () => {
    await assert.rejects(
      openOnnxEncoder(TINY_ENCODER, { precision: 'fp32', threads: 1, worker: 'in-process', providers: [MISSING] }),
      (err: unknown) => (err as Error).name === 'ModelLoadError' && /model\.onnx: cannot be loaded by onnxruntime: .*no-such-provider/.test((err as Error).message),
    );
  });
});
