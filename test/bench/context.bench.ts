/**
 * `npm run bench:context`: the context engine on a generated 10,000-file workspace (lib/contextWorkspace.ts).
 * 1. Latency: the extension's inline completion path (provider call to items) over editing sessions in 20 files,
 *    without model compute: the backend only tokenizes the FIM prompt, timed apart; p50 <= 30 ms, p99 <= 100 ms.
 * 2. Prefill: 50 completions of one editing session in one file, prefill tokens per request with `parallel`
 *    + the chunk KV cache against `sequential` + the prefix cache, through the product's LocalBackend; >= 3x fewer.
 *    Prompts from the context engine at several budgets, and the same session through the extension's provider.
 * With --attention: the attention-space estimate against exact attention on the probe models instead
 * (lib/attentionBench.ts). `vscode` is the stub of lib/surfaceVscode.ts (imported first). Prints JSON and tables.
 * usage: node dist/bench/context.bench.cjs [--files 10000] [--seed 7] [--sessions 20] [--per-session 20]
 *   [--completions 50] [--budget 4096] [--window-share 0.25] [--model DIR] [--workspace DIR] [--only latency|prefill]
 *   [--attention]
 */
import { benchWorkspace } from './lib/surfaceVscode.ts';
import fs from 'node:fs';
import path from 'node:path';
import { createRng } from '../../src/common/random.ts';
import { indexRepository } from '../../src/node/indexer/repositoryIndexer.ts';
import { openSearchIndex, type SearchIndex } from '../../src/node/indexer/searchIndex.ts';
import { loadModelFolder, type ModelFolder } from '../../src/node/generate/modelFolder.ts';
import { runAttentionBench } from './lib/attentionBench.ts';
import { contextSummary, contextTables } from './lib/contextReport.ts';
import { generateContextWorkspace, type ContextWorkspace, type WorkspaceFile } from './lib/contextWorkspace.ts';
import { CountingModel } from './lib/countingModel.ts';
import { editSession, type EditRequest } from './lib/editSession.ts';
import { runInlineRequests, runProviderSession, type InlineTimings } from './lib/inlineContextRun.ts';
import { comparePrefill, type PrefillComparison, type PrefillResult, type ProviderPrefill } from './lib/prefillComparison.ts';
import { LocalBackend, type LocalBackendOptions } from '../../src/node/generate/localBackend.ts';
import { OnnxDecoder } from '../../src/node/generate/onnxDecoder.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function text(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const EMPTY_TIMINGS: InlineTimings = { totalMs: [], retrievalMs: [], tokenizeMs: [], promptTokens: [], hits: [], reasons: {} };
const lineCount = (f: WorkspaceFile): number => f.text.split('\n').length;
const isCode = (f: WorkspaceFile): boolean => !['markdown', 'json', 'yaml'].includes(f.languageId);

/** Files a user edits: code files of 120+ lines, drawn with the seed. */
function editedFiles(ws: ContextWorkspace, n: number, seed: number): WorkspaceFile[] {
  const pool = ws.files.filter((f) => isCode(f) && lineCount(f) >= 120);
  const rng = createRng(seed);
  return Array.from({ length: n }, () => pool[Math.floor(rng() * pool.length)]!);
}

async function modelFolder(): Promise<ModelFolder> {
  const wanted = text('model') ?? '.models/qwen2.5-coder-0.5b-shape';
  const dir = fs.existsSync(path.join(wanted, 'tokenizer.json')) ? wanted : 'test/models/tiny-decoder';
  return loadModelFolder(path.resolve(dir));
}

async function latency(ws: ContextWorkspace, index: SearchIndex, folder: ModelFolder, seed: number) {
  const files = editedFiles(ws, arg('sessions', 20), seed);
  const requests = files.flatMap((f, i) => editSession(f.text, arg('per-session', 20), seed + i).map((req) => ({ file: path.join(ws.root, f.rel), languageId: f.languageId, req })));
  const fim = folder.fim?.style;
  if (!fim) throw new Error(`${folder.dir} has no FIM tokens`);
  return runInlineRequests({ index, tokenizer: folder.tokenizer, fim, contextChars: arg('context-chars', 2000) }, requests, arg('warmup', 20));
}

/** The same session through the extension's provider and its real prompt, sequential against parallel `LocalBackend`s. */
async function providerPrefill(ws: ContextWorkspace, index: SearchIndex, folder: ModelFolder, file: WorkspaceFile, requests: readonly EditRequest[]): Promise<ProviderPrefill> {
  const fim = folder.fim?.style;
  if (!fim) throw new Error(`${folder.dir} has no FIM tokens`);
  const setup = { index, tokenizer: folder.tokenizer, fim, contextChars: arg('context-chars', 2000) };
  const backend = (o: LocalBackendOptions): LocalBackend => new LocalBackend(new OnnxDecoder(folder, new CountingModel(folder.config), 'count'), o);
  const abs = path.join(ws.root, file.rel);
  const sequential = await runProviderSession(setup, abs, file.languageId, requests, backend({ policy: 'sequential' }));
  const parallel = await runProviderSession(setup, abs, file.languageId, requests, backend({}));
  return { contextChars: setup.contextChars, sequential, parallel };
}

async function prefill(ws: ContextWorkspace, index: SearchIndex, folder: ModelFolder, seed: number): Promise<PrefillResult> {
  const pool = ws.files.filter((f) => f.languageId === 'typescript' && lineCount(f) >= 300 && lineCount(f) <= 900);
  const file = pool[Math.floor(createRng(seed + 101)() * pool.length)]!;
  const requests = editSession(file.text, arg('completions', 50), seed + 202);
  const search = (q: string, k: number) => index.search(q, k);
  const main = { budget: arg('budget', 4096), windowShare: arg('window-share', 0.25) };
  const configs = [
    { ...main, anchored: true }, { ...main, anchored: false },
    { budget: 2048, windowShare: 0.5, anchored: true }, { budget: 8192, windowShare: 0.125, anchored: true },
  ];
  const comparisons: PrefillComparison[] = [];
  for (const c of configs) comparisons.push(await comparePrefill(file.rel, requests, folder, search, { ...c, k: 32, maxTokens: 16 }));
  return { file: file.rel, lines: lineCount(file), comparisons, provider: await providerPrefill(ws, index, folder, file, requests) };
}

async function main(): Promise<void> {
  if (process.argv.includes('--attention')) return runAttentionBench(process.argv);
  const seed = arg('seed', 7);
  const t0 = performance.now();
  const ws = generateContextWorkspace(arg('files', 10_000), seed, text('workspace'));
  const generateMs = performance.now() - t0;
  benchWorkspace.root = ws.root;
  const indexDir = `${ws.root}-index`;
  try {
    const summary = await indexRepository(ws.root, { indexDir });
    const index = await openSearchIndex(ws.root, { indexDir });
    const folder = await modelFolder();
    const only = text('only');
    const inline = only === 'prefill' ? EMPTY_TIMINGS : await latency(ws, index, folder, seed);
    const pre: PrefillResult = only === 'latency' ? { file: '', lines: 0, comparisons: [] } : await prefill(ws, index, folder, seed);
    const s = contextSummary({ ws, generateMs, index: summary, model: folder.dir, inline, prefill: pre });
    console.log(JSON.stringify(s));
    console.log(contextTables(s));
  } finally {
    if (!text('workspace')) {
      fs.rmSync(ws.root, { recursive: true, force: true });
      fs.rmSync(indexDir, { recursive: true, force: true });
    }
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
