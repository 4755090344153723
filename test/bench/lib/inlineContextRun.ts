/**
 * Times the extension's inline completion path without model compute: the real
 * `SqueezeInlineCompletionProvider` (through the `vscode` stub of surfaceVscode.ts, which must be imported
 * first) with retrieval from the project's index loaded in this thread (`openSearchIndex`, what the index
 * worker runs per search, without the message round trip) and a backend that only tokenizes the FIM prompt
 * with the model's tokenizer, per segment through a cache as the local ONNX backend does before its first forward
 * pass, and answers at once.
 * Requests use the explicit trigger, so the deliberate debounce wait is not counted.
 */
import { performance } from 'node:perf_hooks';
import { CancellationTokenSource, type CancellationToken } from '../../../src/common/cancellation.ts';
import type { BackendRequest, CompletionResult, PromptRun, TextBackend } from '../../../src/common/backend/backendTypes.ts';
import type { Chunk } from '../../../src/common/chunk/chunk.ts';
import { CachedTokenizer } from '../../../src/common/assemble/cachedTokenizer.ts';
import { fimSegments } from '../../../src/common/generate/fimSegments.ts';
import type { FimStyle } from '../../../src/common/generate/fimStyles.ts';
import { NULL_LOGGER } from '../../../src/common/log.ts';
import type { SearchIndex } from '../../../src/node/indexer/searchIndex.ts';
import type { ModelTokenizer } from '../../../src/node/generate/modelTokenizer.ts';
/* eslint-disable no-restricted-imports -- the bench drives the extension's own (vscode-stubbed) completion path */
import { SqueezeInlineCompletionProvider, type InlineCompletionDeps } from '../../../src/vscode/completion/inlineCompletionProvider.ts';
import type { RepoSearch, RetrievedChunk, SearchOutcome } from '../../../src/vscode/services/repoSearch.ts';
import { LastRequestStore } from '../../../src/vscode/services/lastRequest.ts';
/* eslint-enable no-restricted-imports */
import type { EditRequest } from './editSession.ts';
import { Position, StringDocument } from './surfaceVscode.ts';

export interface InlineTimings {
  /** Provider call to items, per request (everything but model compute). */
  readonly totalMs: number[];
  /** Of which: index search and shaping the hits. */
  readonly retrievalMs: number[];
  /** Of which: tokenizing the FIM prompt (the local backend's step before prefill). */
  readonly tokenizeMs: number[];
  readonly promptTokens: number[];
  /** Chunks each timed search returned. */
  readonly hits: number[];
  readonly reasons: Record<string, number>;
}

export interface InlineSetup {
  readonly index: SearchIndex;
  readonly tokenizer: ModelTokenizer;
  readonly fim: FimStyle;
  readonly contextChars: number;
}

const SETTINGS = (contextChars: number): Record<string, unknown> => ({
  'inlineCompletions.enabled': true, 'inlineCompletions.maxTokens': 64, 'inlineCompletions.contextChars': contextChars,
  'inlineCompletions.recentSnippets': 3, 'backend.model': 'bench', 'models.decoderPath': '', 'index.chunkTokens': 256,
});

/** A worker hit as the index worker shapes it (`toWorkerHit`). */
function retrieved(c: Chunk, score: number): RetrievedChunk {
  const signatures = c.definitions.map((d) => c.text.slice(d.signature.start, d.signature.end).trimEnd()).filter((s) => s.length > 0);
  return { path: c.path, language: c.language, startLine: c.startLine, endLine: c.endLine, text: c.text, score, symbolPath: c.symbolPath, signatures, chunk: c };
}

function timedSearch(index: SearchIndex, times: number[], counts: number[]): RepoSearch {
  return {
    async search(query: string, k: number, token: CancellationToken): Promise<SearchOutcome> {
      const t0 = performance.now();
      const hits = (await index.search(query, k, token)).map((h) => retrieved(h.chunk, h.score));
      times.push(performance.now() - t0);
      counts.push(hits.length);
      return { hits };
    },
  };
}

/** Tokenizes the FIM prompt as LocalBackend does (per segment, through its cache) and answers with a fresh line. */
function tokenizingBackend(s: InlineSetup, times: number[], tokens: number[]): TextBackend {
  let n = 0;
  const cached = new CachedTokenizer(s.tokenizer, 1024);
  const complete = (r: BackendRequest): Promise<CompletionResult> => {
    if (r.kind === 'fim') {
      const t0 = performance.now();
      const context = r.context ?? { lead: '', pieces: [], local: r.prefix };
      const segments = fimSegments({ context, suffix: r.suffix, style: s.fim, bosId: s.tokenizer.bosId }, cached);
      tokens.push(segments.reduce((a, g) => a + g.ids.length, 0));
      times.push(performance.now() - t0);
    }
    return Promise.resolve({ text: `bench_value_${n++}\n`, finishReason: 'stop' });
  };
  return { complete, stream: complete };
}

type Provide = SqueezeInlineCompletionProvider['provideInlineCompletionItems'];

function provider(s: InlineSetup, search: RepoSearch, backend: TextBackend, requests = new LastRequestStore()): SqueezeInlineCompletionProvider {
  const settings = SETTINGS(s.contextChars);
  const deps = {
    config: { get: (k: string) => settings[k], backendKind: 'onnx', debounceMs: 0 },
    backends: { get: () => Promise.resolve(backend), info: { kind: 'onnx', model: 'bench', provider: 'cpu', state: 'ready' } },
    search, requests, log: NULL_LOGGER,
  } as unknown as InlineCompletionDeps;
  return new SqueezeInlineCompletionProvider(deps);
}

function provideArgs(file: string, languageId: string, req: EditRequest, token: CancellationToken): Parameters<Provide> {
  return [new StringDocument(file, languageId, req.text), new Position(req.line, req.character), { triggerKind: 0, selectedCompletionInfo: undefined }, token] as unknown as Parameters<Provide>;
}

/**
 * The same provider in front of a real backend (the bench passes `LocalBackend`): one editing session in one
 * file, each request's `PromptRun` as the last-request record got it (undefined when the request never reached the backend).
 */
export async function runProviderSession(s: InlineSetup, file: string, languageId: string, requests: readonly EditRequest[], backend: TextBackend): Promise<(PromptRun | undefined)[]> {
  const records = new LastRequestStore();
  const p = provider(s, timedSearch(s.index, [], []), backend, records);
  const runs: (PromptRun | undefined)[] = [];
  for (const req of requests) {
    const source = new CancellationTokenSource();
    const before = records.last;
    await p.provideInlineCompletionItems(...provideArgs(file, languageId, req, source.token));
    source.dispose();
    runs.push(records.last !== before ? records.last?.prompt : undefined);
  }
  records.dispose();
  return runs;
}


/** Runs the requests in order (one editor, one provider); the first `warmup` are not recorded. */
export async function runInlineRequests(s: InlineSetup, requests: readonly { file: string; languageId: string; req: EditRequest }[], warmup: number): Promise<InlineTimings> {
  const t: InlineTimings = { totalMs: [], retrievalMs: [], tokenizeMs: [], promptTokens: [], hits: [], reasons: {} };
  const retrievalMs: number[] = [];
  const tokenizeMs: number[] = [];
  const hits: number[] = [];
  const p = provider(s, timedSearch(s.index, retrievalMs, hits), tokenizingBackend(s, tokenizeMs, t.promptTokens));
  for (let i = 0; i < requests.length; i++) {
    const { file, languageId, req } = requests[i]!;
    const source = new CancellationTokenSource();
    const [r0, k0] = [retrievalMs.length, tokenizeMs.length];
    const t0 = performance.now();
    await p.provideInlineCompletionItems(...provideArgs(file, languageId, req, source.token));
    const ms = performance.now() - t0;
    source.dispose();
    if (i < warmup) continue;
    const reason = p.lastOutcome?.reason ?? 'NONE';
    t.reasons[reason] = (t.reasons[reason] ?? 0) + 1;
    if (reason !== 'OK') continue;
    t.totalMs.push(ms);
    t.retrievalMs.push(retrievalMs.slice(r0).reduce((a, b) => a + b, 0));
    t.tokenizeMs.push(tokenizeMs.slice(k0).reduce((a, b) => a + b, 0));
    t.hits.push(hits.slice(r0).reduce((a, b) => a + b, 0));
  }
  return t;
}
