/**
 * Worker-thread entry of the ONNX encoder: an EncoderHost driven by messages from `EncoderClient`
 * (src/node/encode/encoderClient.ts). `workerData.guard` is the SharedArrayBuffer of the NativeCallGuard
 * that keeps the client from terminating this thread inside onnxruntime; `workerData.nice` lowers this
 * thread's priority (Linux) before the session, and so its thread pool, exists.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EncoderHost } from '../encode/encoderHost.ts';
import type { EncoderRequest } from '../encode/encoderProtocol.ts';
import { NativeCallGuard } from '../encode/nativeCallGuard.ts';
import { lowerThreadPriority } from '../encode/threadPriority.ts';

const port = parentPort;
if (port) {
  const data = workerData as { guard: SharedArrayBuffer; nice: number };
  lowerThreadPriority(data.nice);
  const guard = new NativeCallGuard(data.guard);
  const host = new EncoderHost({ post: (m, transfer) => port.postMessage(m, transfer), exit: () => process.exit(0), guard });
  port.on('message', (m: EncoderRequest) => host.handle(m));
}
