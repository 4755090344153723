/**
 * How the client reaches an EncoderHost: in a worker thread (the default), or in-process when no worker
 * bundle is available (tests and scripts run from source under tsx). Both deliver messages
 * asynchronously and structured-cloned, so in-process mode catches non-transferable data too. In-process,
 * each model batch blocks the caller's thread while it runs.
 */
import { Worker } from 'node:worker_threads';
import { EncoderHost } from './encoderHost.ts';
import type { EncoderRequest, EncoderResponse } from './encoderProtocol.ts';
import { NativeCallGuard } from './nativeCallGuard.ts';

export interface ChannelEvents {
  onMessage(m: EncoderResponse): void;
  /** The host ended without being retired (a crash, or its own exit). */
  onExit(code: number, error: Error | undefined): void;
}

export interface Retired {
  readonly busy: boolean;
  readonly ended: Promise<void>;
}

export interface EncoderChannel {
  readonly kind: 'worker' | 'in-process';
  post(m: EncoderRequest): void;
  /** Keeps the process alive while a call is in flight (a worker is unref'd when idle). */
  hold(active: boolean): void;
  /**
   * Ends the host: at once when it is not inside onnxruntime, else as soon as that native call returns
   * (terminating a thread inside it would abort the process; `busy` says this is the case). `ended`
   * resolves when it has ended.
   */
  retire(): Retired;
}

/** A host in a worker thread running `file`; `nice` > 0 lowers that thread's priority (Linux only). */
export function workerChannel(file: string, nice: number, events: ChannelEvents): EncoderChannel {
  const guard = new NativeCallGuard();
  const worker = new Worker(file, { name: 'squeeze-encoder', workerData: { guard: guard.buffer, nice } });
  let retired: Retired | undefined;
  let lastError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    worker.on('exit', (code) => {
      resolve();
      if (!retired) events.onExit(code, lastError);
    });
  });
  worker.on('message', (m: EncoderResponse) => {
    if (!retired) events.onMessage(m);
  });
  worker.on('error', (e) => (lastError = e));
  worker.unref();
  return {
    kind: 'worker',
    post: (m) => worker.postMessage(m),
    hold: (active) => (active ? worker.ref() : worker.unref()),
    retire: () => {
      if (!retired) {
        guard.requestRetire();
        const idle = guard.claimTermination();
        // a busy worker keeps the process alive until it ends: exiting would terminate it inside onnxruntime
        if (idle) void worker.terminate();
        else worker.ref();
        retired = { busy: !idle, ended: exited };
      }
      return retired;
    },
  };
}

export function inProcessChannel(events: ChannelEvents): EncoderChannel {
  let retired = false;
  const host = new EncoderHost({
    post: (m) => {
      const copy = structuredClone(m);
      setImmediate(() => retired || events.onMessage(copy));
    },
    exit: () => host.stop(),
    guard: new NativeCallGuard(new ArrayBuffer(8)),
  });
  return {
    kind: 'in-process',
    post: (m) => {
      const copy = structuredClone(m);
      setImmediate(() => retired || host.handle(copy));
    },
    hold: () => undefined,
    retire: () => {
      retired = true;
      host.stop();
      return { busy: false, ended: Promise.resolve() };
    },
  };
}
