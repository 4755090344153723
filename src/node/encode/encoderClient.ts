/**
 * The caller's side of the ONNX encoder: starts the host (worker thread or in-process) on first use,
 * sends one call at a time, collects its vectors batch by batch, and watches it. A call fails when no
 * batch finishes for `timeoutMs` (the clock restarts at every batch, so a large call is not cut short
 * only for being large); then, as when the worker dies, the worker is stopped and the next call starts
 * a new one. Failed calls are never retried here, and restarts are capped per minute.
 */
import type { CancellationToken, Disposable } from '../../common/cancellation.ts';
import { CancellationError, raceCancellation, throwIfCancelled } from '../../common/cancellation.ts';
import type { Logger } from '../../common/log.ts';
import { inProcessChannel, workerChannel, type EncoderChannel } from './encoderChannel.ts';
import type { EncoderInit, EncoderReady, EncoderResponse } from './encoderProtocol.ts';

const INIT = 0;

export type EncoderFailure = 'timeout' | 'crash' | 'restarts';

/** The encoder worker timed out, died, or keeps failing; `reason` says which. */
export class EncoderWorkerError extends Error {
  readonly reason: EncoderFailure;
  constructor(reason: EncoderFailure, message: string) {
    super(message);
    this.name = 'EncoderWorkerError';
    this.reason = reason;
  }
}

export interface EncoderClientOptions {
  readonly init: EncoderInit;
  /** The worker bundle (dist/workers/encoderWorker.cjs); undefined runs the host in-process. */
  readonly workerFile: string | undefined;
  /** Nice value of the worker's threads (Linux; 0 = the caller's priority). */
  readonly workerNice: number;
  readonly timeoutMs: number;
  /** Time allowed to load the model in a fresh host. */
  readonly startTimeoutMs: number;
  /** Restarts (after a timeout, crash or failed start) allowed within a minute before calls fail fast. */
  readonly maxRestartsPerMinute: number;
  readonly logger: Logger;
}

export interface EncoderClientStats {
  /** Hosts started (the first one included). */
  starts: number;
  /** Calls and texts sent to the host, and model batches it ran for them. */
  calls: number;
  texts: number;
  batches: number;
  /** Milliseconds the host spent in onnxruntime's session.run for those batches. */
  runMs: number;
}

interface Call {
  readonly id: number;
  readonly vectors: (Float32Array | undefined)[];
  done: number;
  timer: NodeJS.Timeout | undefined;
  sub: Disposable | undefined;
  settle(e: Error | undefined): void;
}

interface Starting {
  readonly promise: Promise<EncoderReady>;
  settle(r: EncoderReady | Error): void;
}

export class EncoderClient {
  readonly stats: EncoderClientStats = { starts: 0, calls: 0, texts: 0, batches: 0, runMs: 0 };
  private readonly o: EncoderClientOptions;
  private channel: EncoderChannel | undefined;
  private starting: Starting | undefined;
  private call: Call | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  /** Requests (and the init, as INIT) sent to the current host and not answered yet. */
  private readonly outstanding = new Set<number>();
  /** Stopped hosts that have not ended yet (a busy worker ends after its native call). */
  private readonly ending = new Set<Promise<void>>();
  /** When each restart (a start after the first) happened, within the last minute. */
  private restarts: number[] = [];
  private disposed = false;

  constructor(options: EncoderClientOptions) {
    this.o = options;
  }

  get kind(): 'worker' | 'in-process' {
    return this.o.workerFile ? 'worker' : 'in-process';
  }

  /** Starts the host and loads the model (once; again after a failure). */
  start(): Promise<EncoderReady> {
    if (this.disposed) return Promise.reject(new CancellationError());
    this.starting ??= this.launch();
    return this.starting.promise;
  }

  /** Vectors of `texts` in order, computed by the host. Calls run one at a time, in the order made. */
  embed(texts: readonly string[], token?: CancellationToken): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([]);
    const run = this.queue.then(() => this.run(texts, token));
    this.queue = run.catch(() => undefined);
    return token ? raceCancellation(run, token) : run;
  }

  /** Fails what is pending and stops the host; resolves when it has ended. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.call?.settle(new CancellationError());
    this.starting?.settle(new CancellationError());
    await this.stopHost();
  }

  private launch(): Starting {
    const refused = this.restartRefusal();
    if (refused) {
      const starting: Starting = { promise: Promise.reject(refused), settle: () => undefined };
      starting.promise.catch(() => this.starting === starting && (this.starting = undefined));
      return starting;
    }
    this.stats.starts++;
    const events = { onMessage: (m: EncoderResponse) => this.onMessage(m), onExit: (code: number, e: Error | undefined) => this.onExit(code, e) };
    const channel = this.o.workerFile ? workerChannel(this.o.workerFile, this.o.workerNice, events) : inProcessChannel(events);
    this.channel = channel;
    this.outstanding.clear();
    this.outstanding.add(INIT);
    channel.hold(true);
    let settle!: (r: EncoderReady | Error) => void;
    const promise = new Promise<EncoderReady>((resolve, reject) => {
      const timer = setTimeout(() => settle(new EncoderWorkerError('timeout', `the encoder did not load its model within ${this.o.startTimeoutMs} ms`)), this.o.startTimeoutMs);
      settle = (r) => {
        clearTimeout(timer);
        this.answered(channel, INIT);
        if (r instanceof Error) {
          if (this.channel === channel) void this.stopHost();
          reject(r);
        } else resolve(r);
      };
    });
    const starting = { promise, settle };
    promise.catch(() => this.starting === starting && (this.starting = undefined));
    channel.post({ type: 'init', init: this.o.init });
    return starting;
  }

  /** An error when this start would exceed the restarts allowed per minute; else records the restart. */
  private restartRefusal(): EncoderWorkerError | undefined {
    if (this.stats.starts === 0) return undefined;
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 60_000);
    if (this.restarts.length >= this.o.maxRestartsPerMinute) {
      const until = new Date(this.restarts[0]! + 60_000).toISOString();
      return new EncoderWorkerError('restarts', `the encoder worker was restarted ${this.restarts.length} times in the last minute; not restarting it before ${until}`);
    }
    this.restarts.push(now);
    return undefined;
  }

  private async run(texts: readonly string[], token: CancellationToken | undefined): Promise<Float32Array[]> {
    throwIfCancelled(token);
    await this.start();
    throwIfCancelled(token);
    const channel = this.channel;
    if (!channel) throw new EncoderWorkerError('crash', 'the encoder worker ended before the call started');
    const id = this.nextId++;
    this.stats.calls++;
    this.stats.texts += texts.length;
    return new Promise<Float32Array[]>((resolve, reject) => {
      const call: Call = {
        id, vectors: new Array<Float32Array | undefined>(texts.length), done: 0, timer: undefined, sub: undefined,
        settle: (e) => {
          if (this.call !== call) return;
          this.call = undefined;
          clearTimeout(call.timer);
          call.sub?.dispose();
          if (e) reject(e);
          else resolve(call.vectors as Float32Array[]);
        },
      };
      this.call = call;
      this.outstanding.add(id);
      channel.hold(true);
      call.sub = token?.onCancellationRequested(() => {
        channel.post({ type: 'cancel', id });
        call.settle(new CancellationError());
      });
      this.arm(call, texts.length);
      channel.post({ type: 'encode', id, texts });
    });
  }

  /** (Re)starts the watchdog of a call: it fails when no batch finishes for timeoutMs. */
  private arm(call: Call, total: number): void {
    clearTimeout(call.timer);
    call.timer = setTimeout(() => {
      const ms = this.o.timeoutMs;
      this.o.logger.warn(`ENCODER_TIMEOUT no batch finished in ${ms} ms (${call.done}/${total} texts done); stopping the worker`);
      void this.stopHost();
      call.settle(new EncoderWorkerError('timeout', `the encoder timed out: no batch finished in ${ms} ms (${call.done}/${total} texts done); the worker was stopped and restarts on the next call`));
    }, this.o.timeoutMs);
  }

  private onMessage(m: EncoderResponse): void {
    if (m.type === 'log') return this.o.logger[m.level](m.message);
    if (m.type === 'ready') return this.starting?.settle(m.info);
    if (m.type === 'initFailed') {
      const e = new Error(m.message);
      e.name = m.name;
      return this.starting?.settle(e);
    }
    if (m.type === 'done' || m.type === 'failed') this.answered(this.channel, m.id);
    const call = this.call;
    if (!call || call.id !== m.id) return; // a cancelled or timed-out call
    if (m.type === 'batch') this.onBatch(call, m.indices, m.vectors, m.runMs);
    else if (m.type === 'done') call.settle(call.vectors.includes(undefined) ? new Error('the encoder returned fewer vectors than texts') : undefined);
    else call.settle(m.cancelled ? new CancellationError() : new Error(m.message));
  }

  private onBatch(call: Call, indices: readonly number[], vectors: Float32Array, runMs: number): void {
    this.stats.runMs += runMs;
    const dim = vectors.length / Math.max(1, indices.length);
    indices.forEach((i, k) => (call.vectors[i] = vectors.subarray(k * dim, (k + 1) * dim)));
    call.done += indices.length;
    this.stats.batches++;
    this.arm(call, call.vectors.length);
  }

  private onExit(code: number, error: Error | undefined): void {
    const starting = this.starting;
    this.channel = undefined;
    this.starting = undefined;
    const why = `the encoder worker exited (code ${code}${error ? `: ${error.message}` : ''})`;
    this.o.logger.warn(`ENCODER_WORKER_EXIT ${why}; it restarts on the next call`);
    const e = new EncoderWorkerError('crash', `${why}; it restarts on the next call`);
    starting?.settle(e);
    this.call?.settle(e);
  }

  /**
   * The host finished request `id`. The worker is held (keeps the process alive) while any request is in
   * it, even one whose call was cancelled: the process must not exit while the worker is inside
   * onnxruntime, since exiting terminates it there.
   */
  private answered(channel: EncoderChannel | undefined, id: number): void {
    if (!channel || channel !== this.channel) return;
    this.outstanding.delete(id);
    if (this.outstanding.size === 0) channel.hold(false);
  }

  private stopHost(): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    this.starting = undefined;
    if (!channel) return Promise.all(this.ending).then(() => undefined);
    const { busy, ended } = channel.retire();
    if (busy) this.o.logger.info('ENCODER_WORKER_BUSY the stopped worker is inside onnxruntime; it ends when that call returns');
    this.ending.add(ended);
    void ended.then(() => this.ending.delete(ended));
    return Promise.all(this.ending).then(() => undefined);
  }
}
