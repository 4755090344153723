/**
 * Prefill tokens per request over an editing session, `sequential` against `parallel`, through the product's
 * local backend: each request's prompt is assembled by the context engine (`cursorContextOfText`: retrieval,
 * budgeted assembly with the model's tokenizer), sent as a FIM request whose retrieved chunks are context pieces,
 * and run by `LocalBackend` (the extension's, CLI's and eval's): per-segment tokenization, `assignPositions`,
 * `planRequest` and an `OnnxDecoder` with its prefix cache and chunk cache. The sequential side is the same
 * backend with its policy fixed to `sequential`; the parallel side is the default `auto` (parallel, as the chunk
 * cache is usable). Each side has its own decoder, so each keeps the caches its earlier requests left. The model's
 * arithmetic is replaced by CountingModel; the counts are the decoder's own stats.
 */
import { performance } from 'node:perf_hooks';
import type { FimContext, FimRequest, PromptRun } from '../../../src/common/backend/backendTypes.ts';
import { fimContextPrefix } from '../../../src/common/backend/fimContext.ts';
import type { Segment } from '../../../src/common/assemble/assembleTypes.ts';
import type { ScoredChunk } from '../../../src/common/compress/compressTypes.ts';
import { CachedTokenizer } from '../../../src/common/assemble/cachedTokenizer.ts';
import { cursorContextOfText } from '../../../src/node/context/cursorContext.ts';
import { LocalBackend } from '../../../src/node/generate/localBackend.ts';
import type { ModelFolder } from '../../../src/node/generate/modelFolder.ts';
import { OnnxDecoder } from '../../../src/node/generate/onnxDecoder.ts';
import { CountingModel } from './countingModel.ts';
import type { EditRequest } from './editSession.ts';

export interface PrefillConfig {
  readonly budget: number;
  readonly windowShare: number;
  /** Candidates retrieved per request. */
  readonly k: number;
  /** Tokens generated per request (they join the prefix cache, as in the real decoder). */
  readonly maxTokens: number;
  /** Keep the cursor window at the line it started on while it fits (anchoredWindow.ts). */
  readonly anchored: boolean;
}

export interface PolicyRun {
  readonly policy: string;
  readonly promptTokens: number[];
  readonly prefillTokens: number[];
  readonly reusedTokens: number[];
  readonly chunkCacheTokens: number[];
}

export interface PrefillComparison {
  readonly config: PrefillConfig;
  /**
   * sequential, parallel (chunk cache filled as the session goes), parallel again (chunk cache pre-warmed by the first
   * pass), parallel with the cursor window before the chunks (`windowFirst`, own cold decoder; not the default).
   */
  readonly runs: readonly PolicyRun[];
  /** Chunk segments per prompt, and the context engine's time per request (retrieval to positions). */
  readonly chunksPerPrompt: number[];
  readonly contextMs: number[];
}

/** The session through the extension's provider: each request's prompt run, undefined when it never reached the backend. */
export interface ProviderPrefill {
  readonly contextChars: number;
  readonly sequential: readonly (PromptRun | undefined)[];
  readonly parallel: readonly (PromptRun | undefined)[];
}

export interface PrefillResult {
  readonly file: string;
  readonly lines: number;
  readonly comparisons: readonly PrefillComparison[];
  readonly provider?: ProviderPrefill;
}

export type Search = (query: string, k: number) => Promise<readonly ScoredChunk[]>;

function emptyRun(policy: string): PolicyRun {
  return { policy, promptTokens: [], prefillTokens: [], reusedTokens: [], chunkCacheTokens: [] };
}

/** The assembled FIM prompt as the request a surface sends: text before the chunks, the chunks as pieces, the rest. */
export function fimRequestOf(segments: readonly Segment[], maxTokens: number): FimRequest {
  const markers = segments.flatMap((s, i) => (s.kind === 'marker' ? [i] : []));
  const [open, suffixMarker] = [markers[0] ?? -1, markers[1] ?? segments.length];
  const body = segments.slice(open + 1, suffixMarker);
  const firstChunk = body.findIndex((s) => s.kind === 'chunk');
  const afterChunks = firstChunk < 0 ? 0 : body.length - [...body].reverse().findIndex((s) => s.kind === 'chunk');
  const join = (xs: readonly Segment[]): string => xs.map((s) => s.text).join('');
  const context: FimContext = {
    lead: firstChunk < 0 ? '' : join(body.slice(0, firstChunk)),
    pieces: body.slice(Math.max(0, firstChunk), afterChunks).map((s, i) => ({ key: s.source ? `${s.source.path}:${s.source.startLine}-${s.source.endLine}` : `chunk ${i}`, text: s.text })),
    local: join(body.slice(firstChunk < 0 ? 0 : afterChunks)),
  };
  const suffix = join(segments.slice(suffixMarker + 1).filter((s) => s.kind !== 'marker'));
  return { kind: 'fim', prefix: fimContextPrefix(context), suffix, context, options: { maxTokens, temperature: 0 } };
}

async function runRequests(backend: LocalBackend, requests: readonly FimRequest[], policy: string): Promise<PolicyRun> {
  const run = emptyRun(policy);
  for (const request of requests) {
    const r = await backend.complete(request);
    const p = r.prompt!;
    if (policy.startsWith('parallel') && p.policy !== 'parallel') throw new Error(`the backend chose ${p.policy}, not parallel`);
    run.promptTokens.push(p.promptTokens);
    run.prefillTokens.push(p.prefillTokens);
    run.reusedTokens.push(p.reusedTokens);
    run.chunkCacheTokens.push(p.chunkCacheTokens);
  }
  return run;
}

interface Planned {
  readonly requests: FimRequest[];
  readonly chunksPerPrompt: number[];
  readonly contextMs: number[];
}

/** Every request's prompt through the context engine (the window anchored to the last one's). */
async function planSession(rel: string, requests: readonly EditRequest[], folder: ModelFolder, search: Search, c: PrefillConfig): Promise<Planned> {
  const out: Planned = { requests: [], chunksPerPrompt: [], contextMs: [] };
  const contextLength = folder.config.contextLength;
  const tokenizer = new CachedTokenizer(folder.tokenizer);
  let anchorLine: number | undefined;
  for (const req of requests) {
    const t0 = performance.now();
    const ctx = await cursorContextOfText(rel, req.text, {
      line: req.line + 1, column: req.character + 1, budget: c.budget, windowShare: c.windowShare, k: c.k, contextLength, reserve: c.maxTokens,
      search, policy: 'sequential', tokenizer, ...(folder.fim ? { fim: folder.fim.style } : {}), ...(c.anchored && anchorLine !== undefined ? { anchorLine } : {}),
    });
    out.requests.push(fimRequestOf(ctx.assembled.segments, c.maxTokens));
    out.contextMs.push(performance.now() - t0);
    out.chunksPerPrompt.push(ctx.tokens.filter((s) => s.kind === 'chunk').length);
    anchorLine = ctx.windowStartLine;
  }
  return out;
}

export async function comparePrefill(rel: string, requests: readonly EditRequest[], folder: ModelFolder, search: Search, c: PrefillConfig): Promise<PrefillComparison> {
  const planned = await planSession(rel, requests, folder, search, c);
  const decoder = (name: string): OnnxDecoder => new OnnxDecoder(folder, new CountingModel(folder.config), `count-${name}`);
  const parallel = new LocalBackend(decoder('parallel'));
  const runs = [
    await runRequests(new LocalBackend(decoder('sequential'), { policy: 'sequential' }), planned.requests, 'sequential'),
    await runRequests(parallel, planned.requests, 'parallel'),
    await runRequests(parallel, planned.requests, 'parallel, chunk cache pre-warmed'),
    await runRequests(new LocalBackend(decoder('window-first'), { windowFirst: true }), planned.requests, 'parallel, window before chunks'),
  ];
  return { config: c, runs, chunksPerPrompt: planned.chunksPerPrompt, contextMs: planned.contextMs };
}
