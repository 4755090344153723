/**
 * Drives the extension's real `SqueezeInlineCompletionProvider` (with the `vscode` stub of
 * surfaceVscode.ts): type-ahead and cache lookups, the debounce branch (0 ms), retrieval through the real
 * `IndexWorkerClient` search round trip as `WorkspaceIndex.search` does it, the context budget, the FIM
 * prompt, the last-request record, and shaping the answer. The model is a stub that answers at once,
 * so what is timed is the extension's own overhead from provider call to items.
 */
import { performance } from 'node:perf_hooks';
import { CancellationTokenSource } from '../../../src/common/cancellation.ts';
import type { CancellationToken } from '../../../src/common/cancellation.ts';
import type { BackendRequest, CompletionResult, TextBackend } from '../../../src/common/backend/backendTypes.ts';
import type { Logger } from '../../../src/common/log.ts';
/* eslint-disable no-restricted-imports -- the bench drives the extension's own completion path */
import { SqueezeInlineCompletionProvider, type InlineCompletionDeps } from '../../../src/vscode/completion/inlineCompletionProvider.ts';
import type { IndexWorkerClient } from '../../../src/vscode/index/indexWorkerClient.ts';
import type { RepoSearch, RetrievedChunk, SearchOutcome } from '../../../src/vscode/services/repoSearch.ts';
import { LastRequestStore } from '../../../src/vscode/services/lastRequest.ts';
/* eslint-enable no-restricted-imports */
import { Position, StringDocument } from './surfaceVscode.ts';
import type { GeneratedFile } from './surfaceWorkspace.ts';

type Provide = SqueezeInlineCompletionProvider['provideInlineCompletionItems'];

export interface CompletionRun {
  readonly totalMs: number[];
  readonly searchMs: number[];
  /** Searches that returned at least one chunk (retrieval really ran against the index). */
  readonly searchesWithHits: number;
  readonly reasons: Record<string, number>;
}

const SETTINGS: Record<string, unknown> = {
  'inlineCompletions.enabled': true, 'inlineCompletions.maxTokens': 64, 'inlineCompletions.contextChars': 2000,
  'backend.model': 'stub', 'models.decoderPath': '', 'index.chunkTokens': 256,
};

/** `WorkspaceIndex.search` for one folder: a worker search round trip, hits as `RetrievedChunk`s. */
function workerSearch(client: IndexWorkerClient, root: string, indexDir: string, times: number[], hitCounts: number[]): RepoSearch {
  return {
    async search(query: string, k: number, token: CancellationToken): Promise<SearchOutcome> {
      const t0 = performance.now();
      try {
        const hits: RetrievedChunk[] = await client.search({ root, indexDir, chunkTokens: 256, query, k }, token);
        hitCounts.push(hits.length);
        return { hits: hits.sort((a, b) => b.score - a.score).slice(0, k) };
      } finally {
        times.push(performance.now() - t0);
      }
    },
  };
}

/** A model that answers at once with a new line of code per request (so nothing is a cache hit). */
function instantBackend(): TextBackend {
  let n = 0;
  const complete = (_r: BackendRequest): Promise<CompletionResult> => Promise.resolve({ text: ` value_${n++} = compute(items)\n`, finishReason: 'stop' });
  return { complete, stream: complete };
}

function makeProvider(search: RepoSearch, log: Logger): SqueezeInlineCompletionProvider {
  const backend = instantBackend();
  const deps = {
    config: { get: (k: string) => SETTINGS[k], backendKind: 'http', debounceMs: 0 },
    backends: { get: () => Promise.resolve(backend), info: { kind: 'http', model: 'stub', provider: 'bench', state: 'ready' } },
    search,
    requests: new LastRequestStore(),
    log,
  } as unknown as InlineCompletionDeps;
  return new SqueezeInlineCompletionProvider(deps);
}

/** The request of index `i`: a file of the workspace, the cursor at the end of a non-empty line. */
function requestAt(files: readonly GeneratedFile[], i: number): { doc: StringDocument; pos: Position } {
  const f = files[(i * 7919) % files.length] as GeneratedFile;
  const lines = f.text.split('\n');
  const candidates = lines.map((l, n) => (l.trim() ? n : -1)).filter((n) => n > 0);
  const line = candidates[(i * 31) % candidates.length] ?? 0;
  return { doc: new StringDocument(f.file, f.languageId, f.text), pos: new Position(line, (lines[line] ?? '').length) };
}

/** Runs `warmup + count` requests one after another; records only the last `count`. */
export async function runCompletions(client: IndexWorkerClient, root: string, indexDir: string, files: readonly GeneratedFile[], count: number, warmup: number, log: Logger): Promise<CompletionRun> {
  const searchMs: number[] = [];
  const hitCounts: number[] = [];
  const provider = makeProvider(workerSearch(client, root, indexDir, searchMs, hitCounts), log);
  const totalMs: number[] = [];
  const reasons: Record<string, number> = {};
  for (let i = 0; i < warmup + count; i++) {
    const { doc, pos } = requestAt(files, i);
    const source = new CancellationTokenSource();
    const args = [doc, pos, { triggerKind: 1, selectedCompletionInfo: undefined }, source.token] as unknown as Parameters<Provide>;
    const t0 = performance.now();
    const list = await provider.provideInlineCompletionItems(...args);
    const ms = performance.now() - t0;
    source.dispose();
    if (i < warmup) continue;
    totalMs.push(ms);
    const reason = provider.lastOutcome?.reason ?? 'NONE';
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    if (reason === 'OK' && list.items.length !== 1) throw new Error(`request ${i}: OK without an item`);
  }
  return { totalMs, searchMs: searchMs.slice(-count), searchesWithHits: hitCounts.slice(-count).filter((n) => n > 0).length, reasons };
}
