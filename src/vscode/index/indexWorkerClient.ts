import { Worker } from 'node:worker_threads';
import type { CancellationToken } from '../../common/cancellation.ts';
import { CancellationError } from '../../common/cancellation.ts';
import type { Logger } from '../../common/log.ts';
import type { IndexProgress, IndexSummary } from '../../node/indexer/repositoryIndexer.ts';
import type { IndexJob, IndexWorkerRequest, IndexWorkerResponse, SearchJob, WorkerHit } from '../../node/workers/indexWorker.ts';

/** The worker has no usable index for that folder yet. */
export class NoIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoIndexError';
  }
}

/** The worker died while the request was in flight, or keeps dying. */
export class WorkerCrashedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrashedError';
  }
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly onProgress?: (p: IndexProgress) => void;
}

const MAX_RESTARTS_PER_MINUTE = 3;

/**
 * Starts the index worker on first use, correlates requests by id, forwards cancellation, and restarts
 * the worker when it dies (failing what was in flight; the store is crash-safe, so a rerun resumes).
 */
export class IndexWorkerClient {
  private readonly file: string;
  private readonly log: Logger;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private restarts: number[] = [];
  private disposed = false;

  constructor(workerFile: string, log: Logger) {
    this.file = workerFile;
    this.log = log;
  }

  index(job: IndexJob, onProgress: (p: IndexProgress) => void, token: CancellationToken): Promise<IndexSummary> {
    return this.request((id) => ({ type: 'index', id, job }), token, onProgress) as Promise<IndexSummary>;
  }

  search(job: SearchJob, token: CancellationToken): Promise<WorkerHit[]> {
    return this.request((id) => ({ type: 'search', id, job }), token, undefined) as Promise<WorkerHit[]>;
  }

  dispose(): void {
    this.disposed = true;
    this.failAll(new CancellationError());
    void this.worker?.terminate();
    this.worker = undefined;
  }

  /**
   * Sends a request. An index job settles only when the worker confirms it stopped (what it chunked is
   * committed by then); a search (no `onProgress`) is dropped at once on cancellation.
   */
  private request(make: (id: number) => IndexWorkerRequest, token: CancellationToken, onProgress: ((p: IndexProgress) => void) | undefined): Promise<unknown> {
    if (token.isCancellationRequested) return Promise.reject(new CancellationError());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const sub = token.onCancellationRequested(() => {
        worker.postMessage({ type: 'cancel', id } satisfies IndexWorkerRequest);
        if (!onProgress) this.pending.get(id)?.reject(new CancellationError());
      });
      const done = <T>(fn: (v: T) => void) => (v: T) => {
        sub.dispose();
        this.pending.delete(id);
        fn(v);
      };
      this.pending.set(id, { resolve: done(resolve), reject: done(reject), ...(onProgress ? { onProgress } : {}) });
      worker.postMessage(make(id));
    });
  }

  private ensureWorker(): Worker {
    if (this.disposed) throw new CancellationError();
    if (this.worker) return this.worker;
    const recent = this.recentCrashes();
    if (recent > MAX_RESTARTS_PER_MINUTE) throw new WorkerCrashedError(`the index worker crashed ${recent} times in the last minute`);
    const worker = new Worker(this.file, { name: 'squeeze-index' });
    worker.on('message', (m: IndexWorkerResponse) => this.onMessage(m));
    worker.on('error', (e) => this.log.error('index worker failed', e));
    worker.on('exit', (code) => this.onExit(worker, code));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onMessage(m: IndexWorkerResponse): void {
    if (m.type === 'log') {
      this.log[m.level](m.message);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') p.onProgress?.(m.progress);
    else if (m.type === 'indexed') p.resolve(m.summary);
    else if (m.type === 'hits') p.resolve(m.hits);
    else p.reject(m.code === 'CANCELLED' ? new CancellationError() : m.code === 'NO_INDEX' ? new NoIndexError(m.message) : new Error(m.message));
  }

  private onExit(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (this.disposed) return;
    this.restarts.push(Date.now());
    this.log.warn(`index worker exited with code ${code}; ${this.pending.size} request(s) failed; it restarts on the next request`);
    this.failAll(new WorkerCrashedError(`the index worker exited (code ${code})`));
  }

  private recentCrashes(): number {
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 60_000);
    return this.restarts.length;
  }

  private failAll(e: Error): void {
    for (const p of [...this.pending.values()]) p.reject(e);
    this.pending.clear();
  }
}
