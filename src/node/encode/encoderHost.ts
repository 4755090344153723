/**
 * The encoder's working side: loads the tokenizer and the ONNX session, then answers encode requests
 * batch by batch (tokenize a window of texts, sort it by length, run batches, mean-pool, normalise).
 * It runs in the encoder worker (src/node/workers/encoderWorker.ts) or in-process, behind one protocol.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { planBatches } from '../../common/encode/batchPlan.ts';
import type { Logger, LogLevel } from '../../common/log.ts';
import { createSession } from '../generate/sessionFactory.ts';
import { padBatch, runBatch } from './encoderBatch.ts';
import { checkEncoderGraph, type EncoderGraph } from './encoderGraph.ts';
import type { EncoderInit, EncoderRequest, EncoderResponse } from './encoderProtocol.ts';
import { EncoderTokenizer } from './encoderTokenizer.ts';
import type { NativeCallGuard } from './nativeCallGuard.ts';

/** Texts tokenized and sorted together, in batches: the sort cuts padding only within one window. */
export const WINDOW_BATCHES = 8;

export interface HostPort {
  post(message: EncoderResponse, transfer?: ArrayBuffer[]): void;
  /** Ends the host's thread (worker) or drops the host (in-process). */
  exit(): void;
  readonly guard: NativeCallGuard;
}

interface Loaded {
  readonly session: InferenceSession;
  readonly graph: EncoderGraph;
  readonly tokenizer: EncoderTokenizer;
  readonly batchSize: number;
}

class StoppedError extends Error {}

export class EncoderHost {
  private readonly port: HostPort;
  private loaded: Loaded | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly cancelled = new Set<number>();
  private stopped = false;
  readonly logger: Logger;

  constructor(port: HostPort) {
    this.port = port;
    const log = (level: LogLevel) => (m: string | Error, ...args: unknown[]) => {
      const text = typeof m === 'string' ? m : (m.stack ?? m.message);
      port.post({ type: 'log', level, message: args.length ? `${text} ${args.map(String).join(' ')}` : text });
    };
    this.logger = { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  }

  handle(m: EncoderRequest): void {
    if (m.type === 'cancel') this.cancelled.add(m.id);
    else if (m.type === 'init') this.enqueue(() => this.init(m.init));
    else this.enqueue(() => this.encode(m.id, m.texts));
  }

  /** Stops taking work and releases the session once the batch in progress ends (in-process hosts; a worker just ends). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const session = this.loaded?.session;
    this.loaded = undefined;
    void this.queue.then(() => session?.release()).catch(() => undefined);
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(() => (this.stopped ? undefined : work()));
  }

  /** Runs a native onnxruntime call, marked so that the client never terminates the thread inside it. */
  private async native<T>(call: () => Promise<T>): Promise<T> {
    if (!this.port.guard.enter()) throw new StoppedError('the encoder is being stopped');
    try {
      return await call();
    } finally {
      if (this.port.guard.leave()) this.port.exit();
    }
  }

  private async init(init: EncoderInit): Promise<void> {
    try {
      const tokenizer = new EncoderTokenizer(init.folder);
      const file = init.folder.onnxFile;
      const created = await this.native(() =>
        createSession(file, { provider: init.provider, spinning: init.spinning, ...(init.providers ? { providers: init.providers } : {}), ...(init.threads ? { threads: init.threads } : {}), logger: this.logger }),
      );
      let graph: EncoderGraph;
      try {
        graph = checkEncoderGraph(file, created.session, init.folder.hiddenSize);
      } catch (e) {
        await created.session.release();
        throw e;
      }
      this.loaded = { session: created.session, graph, tokenizer, batchSize: Math.max(1, init.batchSize) };
      this.port.post({ type: 'ready', info: { dim: graph.dim, provider: created.provider, failed: created.failed, hasTokenTypes: graph.hasTokenTypes } });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      this.port.post({ type: 'initFailed', name: err.name, message: err.message });
    }
  }

  private async encode(id: number, texts: readonly string[]): Promise<void> {
    try {
      const loaded = this.loaded;
      if (!loaded) throw new Error('the encoder is not initialised');
      const window = loaded.batchSize * WINDOW_BATCHES;
      for (let start = 0; start < texts.length; start += window) {
        await this.encodeWindow(id, loaded, texts, start, Math.min(texts.length, start + window));
      }
      this.port.post({ type: 'done', id });
    } catch (e) {
      if (e instanceof StoppedError) return;
      this.port.post({ type: 'failed', id, message: e instanceof Error ? e.message : String(e), cancelled: this.cancelled.has(id) });
    } finally {
      for (const c of this.cancelled) if (c <= id) this.cancelled.delete(c); // ids only grow: older cancels are moot
    }
  }

  private checkGoing(id: number): void {
    if (this.stopped) throw new StoppedError('the encoder is stopped');
    if (this.cancelled.has(id)) throw new Error('cancelled');
  }

  private async encodeWindow(id: number, loaded: Loaded, texts: readonly string[], start: number, end: number): Promise<void> {
    this.checkGoing(id);
    const encoded = texts.slice(start, end).map((t) => loaded.tokenizer.encode(t));
    for (const batch of planBatches(encoded.map((e) => e.ids.length), loaded.batchSize)) {
      this.checkGoing(id);
      const padded = padBatch(batch.map((i) => encoded[i]!), loaded.graph);
      const { vectors, runMs } = await this.native(() => runBatch(loaded.session, loaded.graph, padded));
      this.port.post({ type: 'batch', id, indices: batch.map((i) => start + i), vectors, runMs }, [vectors.buffer as ArrayBuffer]);
    }
  }
}
