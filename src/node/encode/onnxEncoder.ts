/**
 * The ONNX sentence encoder (BERT family: mean-pooled `last_hidden_state`, L2-normalised), behind the
 * project's Encoder interface. The model runs in a worker thread (see EncoderClient); vectors are cached
 * by sha256 of the text, in memory (LRU) and optionally on disk, so a cache hit never reaches the worker.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { CancellationToken } from '../../common/cancellation.ts';
import { throwIfCancelled } from '../../common/cancellation.ts';
import type { Encoder } from '../../common/encode/encoder.ts';
import type { Logger } from '../../common/log.ts';
import { NULL_LOGGER, scopedLogger } from '../../common/log.ts';
import { LruCache } from '../../common/lruCache.ts';
import type { ExecutionProvider, ProviderAttempt, ProviderSetting } from '../generate/sessionFactory.ts';
import { DiskEmbeddingCache } from './diskEmbeddingCache.ts';
import { EncoderClient, type EncoderClientStats } from './encoderClient.ts';
import { inspectEncoderFolder, type EncoderFolder, type EncoderPrecisionSetting } from './encoderFolder.ts';
import { encoderId } from './encoderIdentity.ts';
import { findEncoderWorker } from './encoderWorkerFile.ts';

export interface OnnxEncoderOptions {
  /** `auto` (default): onnx/model_quantized.onnx when present, else onnx/model.onnx. */
  readonly precision?: EncoderPrecisionSetting;
  /** Tokens per text, special tokens included (default and upper bound: the model's positions). */
  readonly maxTokens?: number;
  /** Texts per model run (default 8; larger batches do not help on a few CPU cores). */
  readonly batchSize?: number;
  /** `auto` (default) tries CUDA, WebGPU, then CPU, among the providers onnxruntime-node offers here. */
  readonly provider?: ProviderSetting;
  /** Exact providers to try in order (overrides `provider`; tests inject a failing one). */
  readonly providers?: readonly ExecutionProvider[];
  /** Intra-op threads (default: every core). */
  readonly threads?: number;
  /**
   * Whether idle onnxruntime threads busy-wait for work (default false: they sleep). Measured on a
   * loaded 2-core machine: spinning halved the encoder's throughput and kept cores from the editor.
   */
  readonly spinning?: boolean;
  /** A call fails when no batch finishes for this long (default 60 s); the worker is then restarted. */
  readonly timeoutMs?: number;
  /** Time to load the model in a fresh worker (default 120 s). */
  readonly startTimeoutMs?: number;
  /** Worker restarts allowed per minute before calls fail fast (default 3). */
  readonly maxRestartsPerMinute?: number;
  /**
   * `auto` (default): the bundled worker (dist/workers/encoderWorker.cjs beside the running bundle), or
   * in-process when there is none (running from source); `in-process`; or the path of a worker script.
   */
  readonly worker?: string;
  /**
   * Nice value of the worker's threads, onnxruntime's included (default 10; 0 keeps normal priority). On
   * Linux only (there priority is per thread); elsewhere it would lower the whole process, so it is ignored.
   */
  readonly workerNice?: number;
  /** Vectors kept in memory (default 8192; 0 keeps none). */
  readonly memoryCacheEntries?: number;
  /** Root of the on-disk cache (one folder per encoder id inside); none when undefined. */
  readonly cacheDir?: string;
  readonly logger?: Logger;
}

export interface OnnxEncoderStats extends EncoderClientStats {
  memoryHits: number;
  diskHits: number;
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export class OnnxEncoder implements Encoder {
  readonly id: string;
  readonly dim: number;
  readonly folder: EncoderFolder;
  /** Execution provider in use, and the ones that failed (or were skipped) before it. */
  readonly provider: ExecutionProvider;
  readonly failedProviders: readonly ProviderAttempt[];
  private readonly client: EncoderClient;
  private readonly memory: LruCache<string, Float32Array> | undefined;
  private readonly disk: DiskEmbeddingCache | undefined;
  private readonly hits = { memoryHits: 0, diskHits: 0 };

  constructor(p: { id: string; dim: number; folder: EncoderFolder; provider: ExecutionProvider; failed: readonly ProviderAttempt[]; client: EncoderClient; memoryEntries: number; disk: DiskEmbeddingCache | undefined }) {
    this.id = p.id;
    this.dim = p.dim;
    this.folder = p.folder;
    this.provider = p.provider;
    this.failedProviders = p.failed;
    this.client = p.client;
    this.memory = p.memoryEntries > 0 ? new LruCache(p.memoryEntries) : undefined;
    this.disk = p.disk;
  }

  /** Where the model runs: a worker thread, or the caller's thread. */
  get runsIn(): 'worker' | 'in-process' {
    return this.client.kind;
  }

  get stats(): OnnxEncoderStats {
    return { ...this.client.stats, ...this.hits };
  }

  /** One unit vector per text, in order. Equal texts are computed once; cached ones not at all. */
  async encode(texts: readonly string[], token?: CancellationToken): Promise<Float32Array[]> {
    throwIfCancelled(token);
    const keys = texts.map(sha256Hex);
    const found = new Map<string, Float32Array>();
    for (const k of new Set(keys)) {
      const v = this.memory?.get(k);
      if (v) found.set(k, v);
    }
    this.hits.memoryHits += keys.filter((k) => found.has(k)).length;
    let missing = [...new Set(keys.filter((k) => !found.has(k)))];
    if (missing.length && this.disk) {
      const fromDisk = await this.disk.get(missing);
      for (const [k, v] of fromDisk) this.remember(k, v, false, found);
      this.hits.diskHits += keys.filter((k) => fromDisk.has(k)).length;
      missing = missing.filter((k) => !fromDisk.has(k));
    }
    if (missing.length) {
      const first = new Map(keys.map((k, i) => [k, i] as const).reverse());
      const vectors = await this.client.embed(missing.map((k) => texts[first.get(k)!]!), token);
      missing.forEach((k, i) => this.remember(k, vectors[i]!, true, found));
    }
    return keys.map((k) => found.get(k)!.slice());
  }

  /** Writes vectors buffered for the disk cache. */
  async flush(): Promise<void> {
    await this.disk?.flush();
  }

  /** Stops the worker (at once, or when its current native call returns) and writes the disk cache. */
  async dispose(): Promise<void> {
    await Promise.all([this.client.dispose(), this.flush()]);
    this.memory?.clear();
  }

  private remember(key: string, vector: Float32Array, computed: boolean, into: Map<string, Float32Array>): void {
    const own = vector.length === this.dim && vector.byteLength === vector.buffer.byteLength ? vector : vector.slice();
    into.set(key, own);
    this.memory?.set(key, own);
    if (computed) this.disk?.put(key, own);
  }
}

/** Resolves the `worker` option to a worker script, or undefined for in-process. */
function workerFileFor(option: string | undefined, log: Logger): string | undefined {
  if (option === 'in-process') return undefined;
  if (option && option !== 'auto') return path.resolve(option);
  const found = findEncoderWorker();
  if (!found) log.info('ENCODER_IN_PROCESS no encoder worker bundle beside this script (running from source?); the model runs on this thread');
  return found;
}

/**
 * Opens a sentence-encoder folder: checks its files, starts the worker and loads the model (providers
 * tried in order), and derives the encoder id. Errors name the path: a missing folder, tokenizer.json or
 * ONNX file (ModelFolderError), a corrupt ONNX file (ModelLoadError), a graph that is not an encoder
 * (EncoderGraphError).
 */
export async function openOnnxEncoder(dir: string, o: OnnxEncoderOptions = {}): Promise<OnnxEncoder> {
  const log = scopedLogger(o.logger ?? NULL_LOGGER, 'encode');
  const folder = await inspectEncoderFolder(dir, { precision: o.precision ?? 'auto', ...(o.maxTokens !== undefined ? { maxTokens: o.maxTokens } : {}) });
  const client = new EncoderClient({
    init: { folder, provider: o.provider ?? 'auto', batchSize: o.batchSize ?? 8, spinning: o.spinning ?? false, ...(o.providers ? { providers: o.providers } : {}), ...(o.threads ? { threads: o.threads } : {}) },
    workerFile: workerFileFor(o.worker, log), workerNice: o.workerNice ?? 10, timeoutMs: o.timeoutMs ?? 60_000, startTimeoutMs: o.startTimeoutMs ?? 120_000,
    maxRestartsPerMinute: o.maxRestartsPerMinute ?? 3, logger: log,
  });
  try {
    const ready = await client.start();
    const id = await encoderId(folder, ready.dim);
    const disk = o.cacheDir ? await DiskEmbeddingCache.open({ dir: o.cacheDir, encoderId: id, dim: ready.dim, logger: log }) : undefined;
    const failed = ready.failed.map((f) => `${f.provider} (${f.error})`).join(', ');
    log.info(`encoder ${id} on ${ready.provider} (${client.kind})${failed ? `; not used: ${failed}` : ''}`);
    return new OnnxEncoder({ id, dim: ready.dim, folder, provider: ready.provider, failed: ready.failed, client, memoryEntries: o.memoryCacheEntries ?? 8192, disk });
  } catch (e) {
    await client.dispose();
    throw e;
  }
}
