import path from 'node:path';
import * as vscode from 'vscode';
import type { TextBackend } from '../../common/backend/backendTypes.ts';
import { isCancellationError } from '../../common/cancellation.ts';
import type { Logger } from '../../common/log.ts';
import { scopedLogger } from '../../common/log.ts';
import type { BackendKind, Config } from '../config.ts';

/** `idle`: configured, loaded on first use. */
export type BackendState = 'none' | 'idle' | 'loading' | 'ready' | 'error';

export interface BackendInfo {
  readonly kind: BackendKind;
  readonly state: BackendState;
  /** Model name or folder, as shown in the status bar. */
  readonly model?: string;
  /** `http`, or the ONNX execution provider in use (`cpu`, `cuda`, ...). */
  readonly provider?: string;
  readonly detail?: string;
}

interface Loaded {
  readonly backend: TextBackend;
  readonly dispose?: () => Promise<void>;
}

/**
 * The text generator the settings ask for, built lazily: the HTTP client on first use, the ONNX decoder
 * (onnxruntime loaded by dynamic import) on first use. A `backend.*`/`models.*` change drops it.
 */
export class BackendHost implements vscode.Disposable {
  private readonly config: Config;
  private readonly log: Logger;
  private readonly emitter = new vscode.EventEmitter<BackendInfo>();
  private loading: Promise<Loaded | undefined> | undefined;
  private generation = 0;
  private current: BackendInfo;
  readonly onDidChange = this.emitter.event;

  constructor(config: Config, log: Logger) {
    this.config = config;
    this.log = scopedLogger(log, 'backend');
    this.current = this.describe(config.backendKind === 'none' ? 'none' : 'idle');
  }

  get info(): BackendInfo {
    return this.current;
  }

  /** The backend, or undefined when none is configured or it failed to load (see `info`). */
  async get(): Promise<TextBackend | undefined> {
    if (this.config.backendKind === 'none') return undefined;
    this.loading ??= this.load(this.generation);
    return (await this.loading)?.backend;
  }

  /** Settings changed: forget the current backend (it is rebuilt on next use). */
  reset(): void {
    const old = this.loading;
    this.loading = undefined;
    this.generation++;
    void old?.then((l) => l?.dispose?.()).catch(() => undefined);
    this.set(this.describe(this.config.backendKind === 'none' ? 'none' : 'idle'));
  }

  /** Connects an HTTP backend ahead of the first request (cheap: it lists the server's models). */
  warmUp(): void {
    if (this.config.backendKind === 'http') void this.get();
  }

  dispose(): void {
    this.reset();
    this.emitter.dispose();
  }

  private async load(generation: number): Promise<Loaded | undefined> {
    const kind = this.config.backendKind;
    this.set(this.describe('loading'));
    try {
      const loaded = kind === 'http' ? await this.loadHttp() : await this.loadOnnx();
      if (generation === this.generation) this.set({ ...this.describe('ready'), ...loaded.info });
      return { ...loaded, backend: this.monitor(loaded.backend, generation) };
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      this.log.error(`could not start the ${kind} backend: ${detail}`);
      if (generation === this.generation) this.set({ ...this.describe('error'), detail });
      return undefined;
    }
  }

  private async loadHttp(): Promise<Loaded & { info: Partial<BackendInfo> }> {
    const { OpenAiClient } = await import('../../node/backend/openAiClient.ts');
    const model = this.config.get('backend.model');
    const client = new OpenAiClient({
      endpoint: this.config.get('backend.endpoint'),
      ...(model ? { model } : {}),
      server: this.config.get('backend.server') as 'auto',
      logger: this.log,
    });
    this.log.info(`HTTP backend at ${client.endpoint}${model ? ` with model ${model}` : ''}`);
    this.probeServer(client, this.generation, model !== '');
    return { backend: client, info: {} };
  }

  /** Lists the server's models: shows whether it is reachable and, without a configured name, which model it serves. */
  private probeServer(client: { probe(): Promise<{ models: readonly { id: string }[] }> }, generation: number, hasModel: boolean): void {
    client.probe().then(
      (p) => {
        const id = p.models[0]?.id;
        if (!hasModel && id && generation === this.generation) this.set({ ...this.current, model: id });
      },
      (e: unknown) => this.mark(generation, `not reachable: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  /** Keeps `info.state` in step with how requests go: an error shows in the status bar until one succeeds. */
  private monitor(backend: TextBackend, generation: number): TextBackend {
    const track = async <T>(p: Promise<T>): Promise<T> => {
      try {
        const r = await p;
        this.mark(generation, undefined);
        return r;
      } catch (e) {
        if (!isCancellationError(e)) this.mark(generation, e instanceof Error ? e.message : String(e));
        throw e;
      }
    };
    return { complete: (r, t) => track(backend.complete(r, t)), stream: (r, c) => track(backend.stream(r, c)) };
  }

  private mark(generation: number, error: string | undefined): void {
    if (generation !== this.generation) return;
    const state: BackendState = error ? 'error' : 'ready';
    if (state === this.current.state && (error === undefined || error === this.current.detail)) return;
    const { detail: _old, ...rest } = this.current;
    this.set({ ...rest, state, ...(error ? { detail: error } : {}) });
  }

  private async loadOnnx(): Promise<Loaded & { info: Partial<BackendInfo> }> {
    const dir = this.config.get('models.decoderPath');
    if (!dir) throw new Error('squeeze.models.decoderPath is not set: run "Squeeze: Select Model Folder" or "Squeeze: Download Model"');
    const started = Date.now();
    const [{ OnnxDecoder }, { LocalBackend }] = await Promise.all([import('../../node/generate/onnxDecoder.ts'), import('../../node/generate/localBackend.ts')]);
    const decoder = await OnnxDecoder.load(dir, { provider: this.config.get('models.executionProvider') as 'auto', logger: this.log });
    this.log.info(`ONNX decoder ${dir} loaded in ${Date.now() - started} ms on ${decoder.provider}${decoder.fallbackReason ? ` (${decoder.fallbackReason})` : ''}`);
    const info = { provider: decoder.provider, ...(decoder.fallbackReason ? { detail: decoder.fallbackReason } : {}) };
    return { backend: new LocalBackend(decoder), dispose: () => decoder.dispose(), info };
  }

  private describe(state: BackendState): BackendInfo {
    const kind = this.config.backendKind;
    if (kind === 'none') return { kind, state: 'none' };
    if (kind === 'http') {
      const model = this.config.get('backend.model');
      return { kind, state, provider: 'http', ...(model ? { model } : {}) };
    }
    const dir = this.config.get('models.decoderPath');
    return { kind, state, ...(dir ? { model: path.basename(dir) } : {}) };
  }

  private set(info: BackendInfo): void {
    this.current = info;
    this.emitter.fire(info);
  }
}
