import type { CancellationToken } from '../../common/cancellation.ts';
import { isCancellationError, throwIfCancelled } from '../../common/cancellation.ts';
import { fimPieces } from '../../common/generate/fimStyles.ts';
import type { GenerateOptions, GenerateRequest, GenerateResult } from '../../common/generate/generateTypes.ts';
import { finishStats } from '../../common/generate/generateTypes.ts';
import { GenerationOutput } from '../../common/generate/generationOutput.ts';
import { alignToRanges, attentionStarts, checkIndependentRanges, type TokenRange } from '../../common/generate/independentRanges.ts';
import { sequentialPositions } from '../../common/generate/prefixMatch.ts';
import { DEFAULT_PROMPT_LOOKUP, findDraft } from '../../common/generate/promptLookup.ts';
import type { DraftSource, PromptLookupOptions } from '../../common/generate/promptLookup.ts';
import { createRng } from '../../common/generate/sampling.ts';
import { streamTokens } from '../../common/generate/tokenStream.ts';
import type { TokenStream } from '../../common/generate/tokenStream.ts';
import type { Logger } from '../../common/log.ts';
import { NULL_LOGGER, scopedLogger } from '../../common/log.ts';
import { ChunkKvStore, DEFAULT_CHUNK_CACHE_BYTES } from '../context/chunkKv.ts';
import { DecoderSession } from './decoderSession.ts';
import type { DecoderModel } from './decoderSession.ts';
import { GenerationRun } from './generationRun.ts';
import { loadModelFolder } from './modelFolder.ts';
import type { ModelFolder, PrecisionSetting } from './modelFolder.ts';
import { PrefixCache } from './prefixCache.ts';
import { createSession } from './sessionFactory.ts';
import type { SessionFactoryOptions } from './sessionFactory.ts';

export interface OnnxDecoderOptions {
  /** Prompt tokens per prefill forward pass (default 256; 256–512 keeps the logits tensor small). */
  readonly prefillChunk?: number;
  /** Most bytes of KV cache kept between requests for prefix reuse (default 256 MiB; 0 disables reuse). */
  readonly maxCacheBytes?: number;
  /** Most bytes of independent-chunk caches kept (`parallel` prompts; default 128 MiB). */
  readonly maxChunkCacheBytes?: number;
  readonly logger?: Logger;
}

export interface LoadOptions extends OnnxDecoderOptions, Omit<SessionFactoryOptions, 'logger'> {
  readonly precision?: PrecisionSetting;
}

export const DEFAULT_MAX_CACHE_BYTES = 256 * 1024 * 1024;

/**
 * Local text generation with an ONNX decoder: chunked prefill, KV-cache reuse across requests, prompt-lookup
 * speculative decoding, sampling, stop sequences, streaming and cancellation. Requests run one at a time
 * (they share the session and the cache) in the order they arrive.
 */
export class OnnxDecoder {
  readonly folder: ModelFolder;
  readonly model: DecoderModel;
  /** Execution provider in use, and why it is not the requested one (if it is not). */
  readonly provider: string;
  readonly fallbackReason: string | undefined;
  private readonly prefix: PrefixCache;
  private readonly prefillChunk: number;
  private readonly maxCacheBytes: number;
  private readonly maxChunkCacheBytes: number;
  private chunkStore: ChunkKvStore | undefined;
  private chunkStoreRefused: string | undefined;
  private readonly log: Logger;
  private queue: Promise<unknown> = Promise.resolve();
  private release: (() => Promise<void>) | undefined;

  constructor(folder: ModelFolder, model: DecoderModel, provider: string, o: OnnxDecoderOptions & { fallbackReason?: string } = {}) {
    this.folder = folder;
    this.model = model;
    this.provider = provider;
    this.fallbackReason = o.fallbackReason;
    this.prefix = new PrefixCache(model.layout);
    this.prefillChunk = Math.max(1, Math.floor(o.prefillChunk ?? 256));
    this.maxCacheBytes = Math.max(0, o.maxCacheBytes ?? DEFAULT_MAX_CACHE_BYTES);
    this.maxChunkCacheBytes = Math.max(0, o.maxChunkCacheBytes ?? DEFAULT_CHUNK_CACHE_BYTES);
    this.log = o.logger ?? NULL_LOGGER;
  }

  /** Loads a model folder and creates its session (providers tried in order, CPU last). */
  static async load(dir: string, o: LoadOptions = {}): Promise<OnnxDecoder> {
    const log = scopedLogger(o.logger ?? NULL_LOGGER, 'generate');
    const folder = await loadModelFolder(dir, { precision: o.precision ?? 'auto' });
    const created = await createSession(folder.onnxFile, { ...o, logger: log });
    const model = new DecoderSession(created.session, folder.config, folder.onnxFile);
    const decoder = new OnnxDecoder(folder, model, created.provider, { ...o, logger: log, fallbackReason: created.fallbackReason });
    decoder.release = () => created.session.release();
    return decoder;
  }

  /** Prompt tokens of KV cache currently kept for reuse. */
  get cachedTokens(): number {
    return this.prefix.tokens;
  }

  /** Token ids of `text` alone (no special tokens). */
  encode(text: string): number[] {
    return this.folder.tokenizer.encode(text);
  }

  /** A whole prompt from text (with BOS when the model wants one). */
  encodePrompt(text: string): number[] {
    return this.folder.tokenizer.encodePrompt(text);
  }

  /** A fill-in-the-middle prompt in the model's own FIM format, or the plain prefix when it has none. */
  encodeFim(prefix: string, suffix: string): number[] {
    const fim = this.folder.fim;
    return fim ? this.folder.tokenizer.encodePieces(fimPieces(fim.style, prefix, suffix)) : this.encodePrompt(prefix);
  }

  /** Fills the middle between `prefix` and `suffix`; the FIM style's end tokens stop it too. */
  infill(prefix: string, suffix: string, options: GenerateOptions = {}, token?: CancellationToken): Promise<GenerateResult> {
    const stopTokenIds = [...(options.stopTokenIds ?? []), ...(this.folder.fim?.stopIds ?? [])];
    return this.generate({ ids: this.encodeFim(prefix, suffix) }, { ...options, stopTokenIds }, token);
  }

  /** Generates from a tokenized prompt. Rejects with CancellationError when `token` fires. */
  generate(request: GenerateRequest, options: GenerateOptions = {}, token?: CancellationToken): Promise<GenerateResult> {
    const run = this.queue.then(() => this.runExclusive(request, options, token));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The same generation as a `for await` stream of token events; `.result` has the final result. */
  stream(request: GenerateRequest, options: GenerateOptions = {}, token?: CancellationToken): TokenStream<GenerateResult> {
    return streamTokens((onToken, t) => this.generate(request, { ...options, onToken: (e) => (options.onToken?.(e), onToken(e)) }, t), token);
  }

  /** Whether independent chunks can come from a chunk cache: float32 KV (re-rotation) and a non-zero budget. */
  get chunkCacheUsable(): boolean {
    return this.maxChunkCacheBytes > 0 && this.model.layout.type === 'float32' && this.chunkStoreRefused === undefined;
  }

  /** The independent-chunk cache (`parallel` prompts), once a request has used it. */
  get chunkCache(): ChunkKvStore | undefined {
    return this.chunkStore;
  }

  clearCache(): void {
    this.prefix.clear();
    this.chunkStore?.clear();
  }

  async dispose(): Promise<void> {
    await this.queue;
    this.clearCache();
    await this.release?.();
    this.release = undefined;
  }

  private validate(request: GenerateRequest): readonly number[] {
    const { ids } = request;
    const positions = request.positions ?? sequentialPositions(ids.length);
    if (ids.length === 0) throw new Error('empty prompt');
    if (positions.length !== ids.length) throw new Error(`${ids.length} prompt tokens but ${positions.length} position ids`);
    const bad = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= this.model.vocabSize);
    if (bad !== undefined) throw new Error(`token id ${bad} is outside the vocabulary (0..${this.model.vocabSize - 1})`);
    const maxPos = positions.reduce((m, p) => Math.max(m, p), 0);
    const limit = this.folder.config.contextLength;
    if (maxPos >= limit || positions.some((p) => !Number.isInteger(p) || p < 0)) {
      throw new Error(`position ids must be integers in 0..${limit - 1} (the model's trained context); got up to ${maxPos}`);
    }
    if (request.independent) checkIndependentRanges(request.independent, positions);
    return positions;
  }

  /** The chunk store for a request's independent chunks, or undefined when it has none or they cannot be moved. */
  private chunksFor(ranges: readonly TokenRange[] | undefined): { ranges: readonly TokenRange[]; store: ChunkKvStore } | undefined {
    if (!ranges?.length || this.chunkStoreRefused) return undefined;
    if (!this.chunkStore) {
      try {
        if (this.model.layout.type !== 'float32') throw new Error(`its KV cache is ${this.model.layout.type}, and re-rotation needs float32`);
        this.chunkStore = new ChunkKvStore(this.model, this.folder.config.rope, { maxBytes: this.maxChunkCacheBytes });
      } catch (e) {
        this.chunkStoreRefused = (e as Error).message;
        this.log.info(`independent chunks are prefilled in place (no chunk cache): ${this.chunkStoreRefused}`);
        return undefined;
      }
    }
    return { ranges, store: this.chunkStore };
  }

  private async runExclusive(request: GenerateRequest, options: GenerateOptions, token: CancellationToken | undefined): Promise<GenerateResult> {
    throwIfCancelled(token);
    const positions = this.validate(request);
    const start = performance.now();
    const chunks = this.chunksFor(request.independent);
    const from = attentionStarts(request.ids.length, chunks?.ranges);
    const { reused, seq } = this.prefix.take({ ids: request.ids, positions, from }, (n) => alignToRanges(n, chunks?.ranges));
    const storeBefore = { prefilled: chunks?.store.prefilledTokens ?? 0, served: chunks?.store.servedTokens ?? 0 };
    const output = this.output(options);
    const run = new GenerationRun({
      model: this.model, seq, ids: request.ids, positions, prefillChunk: this.prefillChunk,
      contextLength: this.folder.config.contextLength, output, token,
      sampling: { temperature: options.temperature ?? 0, topP: options.topP ?? 1, topK: options.topK ?? 0 },
      rng: createRng(options.seed ?? Math.floor(Math.random() * 2 ** 32)),
      speculative: speculativeSetup(options.speculative),
      ...(chunks ? { chunks } : {}),
    });
    try {
      await run.run();
    } catch (e) {
      if (!isCancellationError(e)) {
        this.log.error(`GENERATE_FAILED ${(e as Error).message}`);
        this.prefix.clear();
      }
      throw e;
    } finally {
      this.prefix.bound(this.maxCacheBytes);
    }
    output.end('length');
    const c = run.counters;
    const chunkCacheTokens = (chunks?.store.servedTokens ?? 0) - storeBefore.served;
    const stats = finishStats({
      provider: this.provider, promptTokens: request.ids.length, reusedTokens: reused,
      prefillTokens: c.prefilledTokens + (chunks?.store.prefilledTokens ?? 0) - storeBefore.prefilled,
      ...(chunks ? { chunkCacheTokens } : {}),
      prefillMs: c.prefillEnd - start, timeToFirstTokenMs: c.firstTokenAt ? c.firstTokenAt - start : 0,
      generatedTokens: output.tokenIds.length, decodeMs: c.firstTokenAt ? performance.now() - c.firstTokenAt : 0,
      forwardPasses: c.forwardPasses, draftedTokens: c.draftedTokens, acceptedDraftTokens: c.acceptedDraftTokens,
    });
    return { tokenIds: output.tokenIds, text: output.text, finishReason: output.finishReason, stats };
  }

  private output(o: GenerateOptions): GenerationOutput {
    const stopIds = new Set([...this.folder.eosTokenIds, ...(o.stopTokenIds ?? [])]);
    return new GenerationOutput({ decoder: this.folder.tokenizer, stopIds, stop: o.stop ?? [], maxTokens: o.maxTokens ?? 128, onToken: o.onToken });
  }
}

function speculativeSetup(s: GenerateOptions['speculative']): { lengths: PromptLookupOptions; draft: DraftSource } | undefined {
  if (s === false) return undefined;
  const lengths = s === undefined || s === true ? DEFAULT_PROMPT_LOOKUP : { ...DEFAULT_PROMPT_LOOKUP, ...s };
  const draft = (typeof s === 'object' ? s.draft : undefined) ?? ((tokens, max) => findDraft(tokens, max, lengths));
  return { lengths, draft };
}
