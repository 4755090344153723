import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { InferenceSession, listSupportedBackends } from 'onnxruntime-node';
import type { Logger } from '../../common/log.ts';
import { NULL_LOGGER } from '../../common/log.ts';

export const EXECUTION_PROVIDERS = ['cuda', 'webgpu', 'cpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];
/** `auto` tries CUDA, then WebGPU, then CPU; a named provider is tried first and CPU is the fallback. */
export type ProviderSetting = 'auto' | ExecutionProvider;

export interface ProviderAttempt {
  readonly provider: ExecutionProvider;
  readonly error: string;
}

export interface SessionFactoryOptions {
  readonly provider?: ProviderSetting;
  /**
   * Exact providers to try, in order (overrides `provider`; nothing is skipped or added). Tests inject a
   * list with a failing provider to exercise the fallback; the last entry failing is a ModelLoadError.
   */
  readonly providers?: readonly ExecutionProvider[];
  /** Intra-op threads for CPU; default os.availableParallelism(). */
  readonly threads?: number;
  /**
   * Whether idle onnxruntime threads spin (busy-wait) for work (onnxruntime's default, kept when unset).
   * `false` lets them sleep: on an oversubscribed machine spinning threads steal the cores they wait for.
   */
  readonly spinning?: boolean;
  readonly logger?: Logger;
  /** Replaces InferenceSession.create (tests). */
  readonly create?: (modelPath: string, options: InferenceSession.SessionOptions) => Promise<InferenceSession>;
}

export interface CreatedSession {
  readonly session: InferenceSession;
  readonly provider: ExecutionProvider;
  /** Providers tried before the one in use, with the reason each failed. */
  readonly failed: readonly ProviderAttempt[];
  /** Set when the requested provider could not be used: says what runs instead and why. */
  readonly fallbackReason: string | undefined;
}

/** Thrown when no provider, CPU included, can load the model: the file itself is the problem. */
export class ModelLoadError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ModelLoadError';
    this.file = file;
  }
}

export function providerOrder(setting: ProviderSetting): ExecutionProvider[] {
  return setting === 'auto' ? [...EXECUTION_PROVIDERS] : [...new Set<ExecutionProvider>([setting, 'cpu'])];
}

/** Providers the installed onnxruntime-node lists (bundled or fetched at install); undefined if it cannot tell. */
export function offeredProviders(): ReadonlySet<string> | undefined {
  try {
    return new Set(listSupportedBackends().map((b) => b.name));
  } catch {
    return undefined;
  }
}

/** `auto` keeps only the providers this onnxruntime-node build offers (CPU always stays last). */
function plannedOrder(setting: ProviderSetting, o: SessionFactoryOptions): ExecutionProvider[] {
  if (o.providers) return [...o.providers];
  const order = providerOrder(setting);
  const offered = setting === 'auto' && !o.create ? offeredProviders() : undefined;
  return offered ? order.filter((p) => p === 'cpu' || offered.has(p)) : order;
}

/** onnxruntime-node ships no CUDA provider library unless its install script fetched one. */
function cudaLibraryMissing(): boolean {
  try {
    const req = typeof require === 'function' ? require : createRequire(import.meta.url);
    const bin = path.join(path.dirname(req.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
    const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    return fs.existsSync(bin) && !fs.existsSync(path.join(bin, lib));
  } catch {
    return false;
  }
}

const VULKAN_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];

/**
 * In `auto` mode, providers that cannot work here are skipped without trying them (a try costs time and
 * prints native warnings): CUDA without its provider library, WebGPU on Linux without a Vulkan loader.
 */
export function skipReason(provider: ExecutionProvider): string | undefined {
  if (provider === 'cuda' && cudaLibraryMissing()) return 'CUDA provider library not installed with onnxruntime-node';
  if (provider === 'webgpu' && process.platform === 'linux' && !VULKAN_DIRS.some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1')))) {
    return 'no Vulkan loader (libvulkan.so.1) for WebGPU';
  }
  return undefined;
}

function sessionOptions(provider: ExecutionProvider, threads: number, spinning: boolean | undefined): InferenceSession.SessionOptions {
  const noSpin = { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } };
  return {
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    ...(spinning === false ? { extra: { session: noSpin } } : {}),
  };
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n').find((l) => l.trim()) ?? m).trim().slice(0, 300);
}

/**
 * Creates an inference session on the first provider that works. Each failure is caught, logged and
 * reported; CPU is always the last resort, and a CPU failure means the model file is unusable.
 */
export async function createSession(modelPath: string, o: SessionFactoryOptions = {}): Promise<CreatedSession> {
  const setting = o.provider ?? 'auto';
  const log = o.logger ?? NULL_LOGGER;
  const threads = Math.max(1, o.threads ?? os.availableParallelism());
  const create = o.create ?? ((p, opts) => InferenceSession.create(p, opts));
  const failed: ProviderAttempt[] = [];
  const order = plannedOrder(setting, o);
  for (const provider of order) {
    const skip = setting === 'auto' && !o.create && !o.providers ? skipReason(provider) : undefined;
    if (skip) {
      failed.push({ provider, error: skip });
      log.debug(`PROVIDER_SKIPPED ${provider}: ${skip}`);
      continue;
    }
    try {
      const session = await create(modelPath, sessionOptions(provider, threads, o.spinning));
      const fallbackReason = failed.length && setting !== 'auto' ? `${setting} unavailable (${failed[0]!.error}); using ${provider}` : undefined;
      if (fallbackReason) log.warn(`PROVIDER_FALLBACK ${fallbackReason}`);
      log.info(`session on ${provider} (${threads} threads): ${modelPath}`);
      return { session, provider, failed, fallbackReason };
    } catch (e) {
      const error = firstLine(e);
      failed.push({ provider, error });
      log.info(`PROVIDER_FAILED ${provider}: ${error}`);
      if (provider === 'cpu' || provider === order[order.length - 1]) throw new ModelLoadError(modelPath, `cannot be loaded by onnxruntime: ${error}`);
    }
  }
  throw new ModelLoadError(modelPath, `no execution provider could be tried (${failed.map((f) => `${f.provider}: ${f.error}`).join('; ') || 'none listed'})`);
}
