// The encoder worker's life cycle: per-call timeout, crash, restart, restart cap, dispose, and never
// terminating a thread inside onnxruntime (which would abort this whole test process).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { EncoderWorkerError } from '../../../../src/node/encode/encoderClient.ts';
import { openOnnxEncoder, type OnnxEncoder, type OnnxEncoderOptions } from '../../../../src/node/encode/onnxEncoder.ts';
import { bundleWorkers, maxAbsDiff, norm, TEXTS, TINY_ENCODER } from './encoderTestKit.ts';

async function open(o: OnnxEncoderOptions): Promise<OnnxEncoder> {
  const { stalling } = await bundleWorkers();
  return openOnnxEncoder(TINY_ENCODER, { precision: 'fp32', threads: 1, worker: stalling, memoryCacheEntries: 0, ...o });
}

const isWorkerError = (reason: string, message: RegExp) => (e: unknown) =>
  e instanceof EncoderWorkerError && e.reason === reason && message.test(e.message);

describe('encoder worker', () => {
  test('a call past its timeout fails clearly, the worker is stopped, and the next call starts a new one', async () => {
    const log = new MemoryLogger();
    const e = await open({ timeoutMs: 2000, logger: log });
    try {
      const [before] = await e.encode([TEXTS[0]!]);
      const t0 = performance.now();
      await assert.rejects(e.encode(['__stall_js__']), isWorkerError('timeout', /timed out: no batch finished in 2000 ms \(0\/1 texts done\); the worker was stopped/));
      assert.ok(performance.now() - t0 < 5000);
      assert.ok(log.entries.some((x) => x.level === 'warn' && x.message.includes('ENCODER_TIMEOUT')));
      const [after] = await e.encode([TEXTS[0]!]);
      assert.ok(maxAbsDiff(before!, after!) < 1e-6);
      assert.equal(e.stats.starts, 2, 'one restart, no retry of the failed call');
      assert.equal(e.stats.calls, 3);
    } finally {
      await e.dispose();
    }
  });

  test('a worker that dies fails its call with the exit code, and the next call works', async () => {
    const e = await open({});
    try {
      await assert.rejects(e.encode(['__crash__']), isWorkerError('crash', /the encoder worker exited \(code 7\); it restarts on the next call/));
      const [v] = await e.encode([TEXTS[1]!]);
      assert.ok(Math.abs(norm(v!) - 1) < 1e-5);
      assert.equal(e.stats.starts, 2);
    } finally {
      await e.dispose();
    }
  });

  test('a worker inside a native call is not terminated: it exits when the call returns', async () => {
    const e = await open({ timeoutMs: 1000 });
    try {
      const t0 = performance.now();
      await assert.rejects(e.encode(['__stall_native__', '4000']), isWorkerError('timeout', /timed out/));
      assert.ok(performance.now() - t0 < 3500, 'the call fails at its timeout, not when the native call ends');
      const [v] = await e.encode([TEXTS[2]!]); // a new worker serves it while the old one is still blocked
      assert.ok(Math.abs(norm(v!) - 1) < 1e-5);
      await new Promise((r) => setTimeout(r, 3000)); // the old worker exits by itself; this process lives on
      const [w] = await e.encode([TEXTS[3]!]);
      assert.ok(Math.abs(norm(w!) - 1) < 1e-5);
    } finally {
      await e.dispose();
    }
  });

  test('a timeout inside a real onnxruntime run stops the worker without aborting the process', async () => {
    const { worker } = await bundleWorkers();
    const log = new MemoryLogger();
    const busy = () => log.entries.some((x) => x.message.includes('ENCODER_WORKER_BUSY'));
    // 64 rows of 512 tokens: tokenizing is a small share of the call, the run most of it. The timeouts are
    // fractions of this call's measured duration, so they land inside the run however loaded the machine is.
    const big = Array.from({ length: 64 }, (_, i) => `${'a '.repeat(600)}${i}`);
    const options = { precision: 'fp32' as const, threads: 1, worker, batchSize: 64, memoryCacheEntries: 0, logger: log };
    const probe = await openOnnxEncoder(TINY_ENCODER, { ...options, timeoutMs: 120_000 });
    let callMs: number;
    try {
      await probe.encode(['warm up']);
      const t0 = performance.now();
      await probe.encode(big);
      callMs = performance.now() - t0;
    } finally {
      await probe.dispose();
    }
    for (const share of [0.6, 0.75, 0.45, 0.9, 0.3, 0.6]) {
      const e = await openOnnxEncoder(TINY_ENCODER, { ...options, timeoutMs: Math.max(20, Math.round(callMs * share)) });
      try {
        await e.encode(['warm up']).catch(() => undefined); // the model loads outside the measured call
        await assert.rejects(e.encode(big), isWorkerError('timeout', /timed out/));
      } finally {
        await e.dispose();
      }
      if (busy()) break;
    }
    assert.ok(busy(), 'one of the timeouts fell inside session.run (and this process is still alive)');
  });

  test('restarts are capped per minute: then calls fail fast without starting workers', async () => {
    const e = await open({ maxRestartsPerMinute: 2 });
    try {
      for (let i = 0; i < 3; i++) await assert.rejects(e.encode(['__crash__']), isWorkerError('crash', /code 7/));
      await assert.rejects(e.encode([TEXTS[0]!]), isWorkerError('restarts', /restarted 2 times in the last minute; not restarting it before /));
      assert.equal(e.stats.starts, 3);
    } finally {
      await e.dispose();
    }
  });

  test('the worker and onnxruntime threads run at a lower priority; the caller keeps its own (Linux)', { skip: process.platform !== 'linux' }, async () => {
    const { worker } = await bundleWorkers();
    const nices = () =>
      fs.readdirSync('/proc/self/task').map((task) => {
        const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
        return { task: Number(task), nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) };
      });
    const before = new Set(nices().filter((t) => t.nice === 12).map((t) => t.task));
    const callerNice = nices().find((t) => t.task === process.pid)?.nice;
    const e = await openOnnxEncoder(TINY_ENCODER, { precision: 'fp32', threads: 2, worker, workerNice: 12 });
    try {
      await e.encode(TEXTS);
      const lowered = nices().filter((t) => t.nice === 12 && !before.has(t.task));
      assert.ok(lowered.length >= 2, `worker thread + onnxruntime pool thread at nice 12: ${JSON.stringify(nices())}`);
      assert.equal(nices().find((t) => t.task === process.pid)?.nice, callerNice);
    } finally {
      await e.dispose();
    }
  });

  test('dispose ends the worker and fails calls made after it', async () => {
    const e = await open({});
    await e.encode([TEXTS[0]!]);
    await e.dispose();
    await assert.rejects(e.encode([TEXTS[5]!]), (err: unknown) => (err as Error).name === 'CancellationError');
  });
});
