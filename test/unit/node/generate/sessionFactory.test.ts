import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { createSession, ModelLoadError, providerOrder } from '../../../../src/node/generate/sessionFactory.ts';
import { loadTiny, TINY_DECODER } from './tinyModel.ts';

const MODEL = path.join(TINY_DECODER, 'onnx', 'model.onnx');

/** A fake InferenceSession.create that fails for the listed providers and records what was asked. */
function fakeCreate(failing: readonly string[]) {
  const calls: { provider: string; threads: number | undefined }[] = [];
  const create = async (_p: string, o: InferenceSession.SessionOptions) => {
    const provider = String(o.executionProviders?.[0]);
    calls.push({ provider, threads: o.intraOpNumThreads });
    if (failing.includes(provider)) throw new Error(`${provider} is not available here\nnative details`);
    return { release: async () => {} } as unknown as InferenceSession;
  };
  return { create, calls };
}

describe('createSession', () => {
  test('provider order: auto is cuda, webgpu, cpu; a forced provider falls back to cpu', () => {
    assert.deepEqual(providerOrder('auto'), ['cuda', 'webgpu', 'cpu']);
    assert.deepEqual(providerOrder('webgpu'), ['webgpu', 'cpu']);
    assert.deepEqual(providerOrder('cpu'), ['cpu']);
  });

  test('a forced, unavailable CUDA falls back to CPU and says so (real onnxruntime)', async () => {
    const log = new MemoryLogger();
    const s = await createSession(MODEL, { provider: 'cuda', threads: 1, logger: log });
    try {
      if (s.provider === 'cuda') return; // a machine with the CUDA provider installed: nothing to fall back from
      assert.equal(s.provider, 'cpu');
      assert.equal(s.failed[0]?.provider, 'cuda');
      assert.match(s.fallbackReason ?? '', /^cuda unavailable \(.+\); using cpu$/);
      assert.ok(log.entries.some((e) => e.level === 'warn' && e.message.startsWith('PROVIDER_FALLBACK cuda unavailable')));
    } finally {
      await s.session.release();
    }
  });

  test('the decoder reports the provider in use and the fallback reason', async () => {
    const d = await loadTiny({ provider: 'cuda' });
    try {
      if (d.provider !== 'cuda') {
        assert.equal(d.provider, 'cpu');
        assert.match(d.fallbackReason ?? '', /cuda unavailable/);
        const r = await d.generate({ ids: d.encode('x = 1') }, { maxTokens: 2 });
        assert.equal(r.stats.provider, 'cpu');
      }
    } finally {
      await d.dispose();
    }
  });

  test('auto tries every provider in order, catching each failure', async () => {
    const { create, calls } = fakeCreate(['cuda', 'webgpu']);
    const log = new MemoryLogger();
    const s = await createSession(MODEL, { create, threads: 3, logger: log });
    assert.deepEqual(calls, [
      { provider: 'cuda', threads: 3 },
      { provider: 'webgpu', threads: 3 },
      { provider: 'cpu', threads: 3 },
    ]);
    assert.equal(s.provider, 'cpu');
    assert.deepEqual(s.failed, [
      { provider: 'cuda', error: 'cuda is not available here' },
      { provider: 'webgpu', error: 'webgpu is not available here' },
    ]);
    assert.equal(s.fallbackReason, undefined, 'auto has no single requested provider');
    assert.equal(log.entries.filter((e) => e.message.startsWith('PROVIDER_FAILED')).length, 2);
  });

  test('the first provider that works is used', async () => {
    const { create, calls } = fakeCreate(['cuda']);
    const s = await createSession(MODEL, { create, provider: 'auto' });
    assert.equal(s.provider, 'webgpu');
    assert.equal(calls.length, 2);
    assert.ok((calls[0]?.threads ?? 0) >= 1, 'threads default to the core count');
  });

  test('a CPU failure is a model problem and names the file', async () => {
    const { create } = fakeCreate(['webgpu', 'cpu']);
    await assert.rejects(createSession(MODEL, { create, provider: 'webgpu' }), (e: unknown) => {
      assert.ok(e instanceof ModelLoadError);
      assert.equal(e.file, MODEL);
      assert.match(e.message, /model\.onnx: cannot be loaded by onnxruntime: cpu is not available here/);
      return true;
    });
  });
});
