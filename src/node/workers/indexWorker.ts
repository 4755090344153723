/**
 * Worker-thread entry that owns a workspace's indexes: runs `indexRepository` (scan, chunk, encode,
 * commit) and answers searches from an index kept loaded in memory, so the extension host thread only
 * posts messages. The message types are exported for the client (`src/vscode/index/indexWorkerClient.ts`).
 */
import fs from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { CancellationTokenSource, isCancellationError } from '../../common/cancellation.ts';
import type { Chunk } from '../../common/chunk/chunk.ts';
import type { Logger, LogLevel } from '../../common/log.ts';
import { indexRepository, type IndexProgress, type IndexSummary } from '../indexer/repositoryIndexer.ts';
import { IndexMissingError, openSearchIndex, type SearchIndex } from '../indexer/searchIndex.ts';
import { storeDirFor } from '../indexer/indexSettings.ts';
import { denseIndexEncoder, type IndexEncoder } from '../indexer/indexEncoder.ts';
import type { OnnxEncoder } from '../encode/onnxEncoder.ts';

export interface IndexJob {
  readonly root: string;
  readonly indexDir: string;
  readonly maxFileBytes: number;
  readonly chunkTokens: number;
  readonly extraExcludes: readonly string[];
  /** Delete the stored index first (the "Reindex workspace" command). */
  readonly fresh?: boolean;
  /** An ONNX encoder model folder (`squeeze.models.encoderPath`); absent: the built-in hashed encoder. */
  readonly encoderPath?: string;
}

export interface SearchJob {
  readonly root: string;
  readonly indexDir: string;
  readonly chunkTokens: number;
  readonly query: string;
  readonly k: number;
  /** The encoder folder the index was built with (IndexJob.encoderPath). */
  readonly encoderPath?: string;
}

/** A search hit as plain data (structured-clone safe). */
export interface WorkerHit {
  readonly path: string;
  readonly language: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly score: number;
  readonly symbolPath: readonly string[];
  /** Signature text of each definition that starts in the chunk: the `collapsed` rendering. */
  readonly signatures: readonly string[];
  /** The whole chunk (spans, definitions), so the compressor can render every detail level. */
  readonly chunk: Chunk;
}

export type IndexWorkerRequest =
  | { readonly type: 'index'; readonly id: number; readonly job: IndexJob }
  | { readonly type: 'search'; readonly id: number; readonly job: SearchJob }
  | { readonly type: 'cancel'; readonly id: number };

export type IndexWorkerResponse =
  | { readonly type: 'progress'; readonly id: number; readonly progress: IndexProgress }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string }
  | { readonly type: 'indexed'; readonly id: number; readonly summary: IndexSummary }
  | { readonly type: 'hits'; readonly id: number; readonly hits: readonly WorkerHit[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string; readonly code: 'CANCELLED' | 'NO_INDEX' | 'ERROR' };

const PROGRESS_INTERVAL_MS = 150;
const port = parentPort;
const running = new Map<number, CancellationTokenSource>();
const loaded = new Map<string, Promise<SearchIndex>>();
/** One ONNX encoder (in its own nested worker) per model folder, opened on first use and kept. */
const encoders = new Map<string, Promise<OnnxEncoder>>();

async function encoderFor(folder: string | undefined): Promise<IndexEncoder | undefined> {
  if (!folder) return undefined;
  let open = encoders.get(folder);
  if (!open) {
    open = import('../encode/onnxEncoder.ts').then((m) => m.openOnnxEncoder(folder, { logger }));
    encoders.set(folder, open);
    open.catch(() => encoders.delete(folder));
  }
  return denseIndexEncoder(await open);
}

/** Loaded indexes are per root and encoder: switching the encoder setting never reuses the other's vectors. */
const loadedKey = (root: string, encoderPath: string | undefined) => `${root}\0${encoderPath ?? ''}`;

function post(message: IndexWorkerResponse): void {
  port?.postMessage(message);
}

const logger: Logger = Object.fromEntries(
  (['trace', 'debug', 'info', 'warn', 'error'] as const).map((level) => [
    level,
    (m: string | Error, ...args: unknown[]) => {
      const text = typeof m === 'string' ? m : (m.stack ?? m.message);
      post({ type: 'log', level, message: args.length ? `${text} ${args.map(String).join(' ')}` : text });
    },
  ]),
) as unknown as Logger;

async function runIndex(id: number, job: IndexJob): Promise<void> {
  const source = new CancellationTokenSource();
  running.set(id, source);
  let last = 0;
  try {
    if (job.fresh) await fs.rm(storeDirFor(job.root, job.indexDir), { recursive: true, force: true });
    const encoder = await encoderFor(job.encoderPath);
    const summary = await indexRepository(job.root, {
      indexDir: job.indexDir, maxFileBytes: job.maxFileBytes, chunkTokens: job.chunkTokens, extraExcludes: job.extraExcludes,
      logger, token: source.token, ...(encoder ? { encoder } : {}),
      onProgress: (progress) => {
        const now = Date.now();
        if (now - last < PROGRESS_INTERVAL_MS) return;
        last = now;
        post({ type: 'progress', id, progress });
      },
    });
    if (summary.committed || job.fresh) loaded.delete(loadedKey(job.root, job.encoderPath));
    post({ type: 'indexed', id, summary });
  } catch (e) {
    loaded.delete(loadedKey(job.root, job.encoderPath)); // a cancelled run commits what it chunked: reload on the next search
    fail(id, e);
  } finally {
    running.delete(id);
    source.dispose();
  }
}

async function runSearch(id: number, job: SearchJob): Promise<void> {
  try {
    const key = loadedKey(job.root, job.encoderPath);
    let index = loaded.get(key);
    if (!index) {
      index = encoderFor(job.encoderPath).then((encoder) => openSearchIndex(job.root, { indexDir: job.indexDir, chunkTokens: job.chunkTokens, logger, ...(encoder ? { encoder } : {}) }));
      loaded.set(key, index);
      index.catch(() => loaded.delete(key));
    }
    const hits = await (await index).search(job.query, job.k);
    post({ type: 'hits', id, hits: hits.map((h) => toWorkerHit(h.chunk, h.score)) });
  } catch (e) {
    fail(id, e);
  }
}

function toWorkerHit(c: Chunk, score: number): WorkerHit {
  const signatures = c.definitions.map((d) => c.text.slice(d.signature.start, d.signature.end).trimEnd()).filter((s) => s.length > 0);
  return { path: c.path, language: c.language, startLine: c.startLine, endLine: c.endLine, text: c.text, score, symbolPath: c.symbolPath, signatures, chunk: c };
}

function fail(id: number, e: unknown): void {
  const code = isCancellationError(e) ? 'CANCELLED' : e instanceof IndexMissingError ? 'NO_INDEX' : 'ERROR';
  const message = e instanceof Error ? (code === 'ERROR' ? (e.stack ?? e.message) : e.message) : String(e);
  post({ type: 'failed', id, message, code });
}

port?.on('message', (msg: IndexWorkerRequest) => {
  if (msg.type === 'index') void runIndex(msg.id, msg.job);
  else if (msg.type === 'search') void runSearch(msg.id, msg.job);
  else running.get(msg.id)?.cancel();
});
