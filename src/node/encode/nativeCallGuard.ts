/**
 * Terminating a worker thread while it is inside onnxruntime's native code aborts the whole process
 * (the binding throws a C++ `Napi::Error` into a terminating isolate: "terminate called after throwing
 * an instance of 'Napi::Error'", measured with onnxruntime-node 1.30). So the worker and its client share
 * two words of memory: the worker marks each native call, and the client terminates only after claiming
 * an idle worker; a busy one is asked to exit as soon as its native call returns.
 */
const PHASE = 0;
const RETIRE = 1;
const IDLE = 0;
const IN_NATIVE = 1;
const TERMINATING = 2;

export class NativeCallGuard {
  readonly state: Int32Array;

  /** `shared` is a SharedArrayBuffer between threads, or a plain buffer for an in-process host. */
  constructor(shared: SharedArrayBuffer | ArrayBuffer = new SharedArrayBuffer(8)) {
    this.state = new Int32Array(shared, 0, 2);
  }

  get buffer(): SharedArrayBuffer | ArrayBuffer {
    return this.state.buffer;
  }

  /** Worker side, before a native call: false when the client is terminating this worker (do not enter). */
  enter(): boolean {
    return Atomics.compareExchange(this.state, PHASE, IDLE, IN_NATIVE) === IDLE;
  }

  /** Worker side, after a native call: true when the client asked this worker to exit meanwhile. */
  leave(): boolean {
    Atomics.store(this.state, PHASE, IDLE);
    return Atomics.load(this.state, RETIRE) === 1;
  }

  /** Client side: true when the worker is not inside native code and now never will be (terminate it). */
  claimTermination(): boolean {
    const phase = Atomics.compareExchange(this.state, PHASE, IDLE, TERMINATING);
    return phase === IDLE || phase === TERMINATING;
  }

  /** Client side, for a worker inside native code: it exits when the call returns (see `leave`). */
  requestRetire(): void {
    Atomics.store(this.state, RETIRE, 1);
  }

  /** Either side: whether the worker has been told to stop. */
  get stopping(): boolean {
    return Atomics.load(this.state, RETIRE) === 1 || Atomics.load(this.state, PHASE) === TERMINATING;
  }
}
