// A test worker entry: the real EncoderHost, except for three marker texts (first text of a call):
//   __stall_js__         the call is never answered, the thread stays idle in JS (safe to terminate);
//   __stall_native__ MS  the thread blocks MS ms as if inside onnxruntime (marked in the guard), then
//                        exits if it was asked to meanwhile, like the real host after a native call;
//   __crash__            the thread exits with code 7.
import { parentPort, workerData } from 'node:worker_threads';
import { EncoderHost } from '../../../../src/node/encode/encoderHost.ts';
import type { EncoderRequest } from '../../../../src/node/encode/encoderProtocol.ts';
import { NativeCallGuard } from '../../../../src/node/encode/nativeCallGuard.ts';

const port = parentPort!;
const guard = new NativeCallGuard((workerData as { guard: SharedArrayBuffer }).guard);
const host = new EncoderHost({ post: (m, t) => port.postMessage(m, t), exit: () => process.exit(0), guard });

port.on('message', (m: EncoderRequest) => {
  const marker = m.type === 'encode' ? m.texts[0] : undefined;
  if (marker === '__stall_js__') return;
  if (marker === '__crash__') process.exit(7);
  if (marker === '__stall_native__' && m.type === 'encode') {
    if (!guard.enter()) return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(m.texts[1]));
    if (guard.leave()) process.exit(0);
    return;
  }
  host.handle(m);
});
