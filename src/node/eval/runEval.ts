/**
 * Runs the eval: reads a tasks file, loads each repository once (scan + chunk, as the indexer does),
 * builds every retriever's context per task under the leakage rule, scores it (and, with a model, has it
 * generate the first line from the FIM prompt with that context), and writes `results.jsonl` (one line
 * per task × retriever), `summary.json` and `summary.md` to the output folder.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_HASHED_DIM, HashedEncoder } from '../../common/encode/hashedEncoder.ts';
import { buildEvalCorpus, type EvalCorpus } from '../../common/eval/evalCorpus.ts';
import { parseTasks, type EvalTask } from '../../common/eval/evalTask.ts';
import { scoreContext, summarize, summaryMarkdown, type SummaryRow, type TaskResult } from '../../common/eval/evalReport.ts';
import { fimPrompt, generateFirstLine, scoreGeneration, type GenerationOptions } from '../../common/eval/generationMetrics.ts';
import { contextText } from '../../common/eval/packing.ts';
import type { TextBackend } from '../../common/backend/backendTypes.ts';
import { buildContext, DEFAULT_QUERY_LINES, type RetrievalOptions, type RetrieverName } from '../../common/eval/retrievers.ts';
import type { CancellationToken } from '../../common/cancellation.ts';
import { throwIfCancelled } from '../../common/cancellation.ts';
import { loadRepoFiles } from './repoFiles.ts';

export interface EvalRunOptions {
  readonly retrievers: readonly RetrieverName[];
  readonly retrieval: RetrievalOptions;
  readonly chunkTokens?: number;
  /** Dimension of the hashed encoder (default: the index's). */
  readonly hashedDim?: number;
  /** Run only the first N tasks (in file order). */
  readonly limit?: number;
  readonly token?: CancellationToken;
  readonly onRepo?: (repoDir: string, files: number, chunks: number, ms: number) => void;
  /** With a model: generate the first line of every task × retriever (exact match, edit similarity). */
  readonly generation?: { readonly backend: TextBackend; readonly options: GenerationOptions; readonly label: string };
  /** Called after each task (all its retrievers), with the count done and the total. */
  readonly onTask?: (done: number, total: number) => void;
}

export interface EvalRun {
  readonly results: TaskResult[];
  readonly summary: SummaryRow[];
}

export async function readTasksFile(tasksFile: string): Promise<EvalTask[]> {
  return parseTasks(await fs.readFile(tasksFile, 'utf8'));
}

function groupByRepo(tasks: readonly EvalTask[]): Map<string, EvalTask[]> {
  const groups = new Map<string, EvalTask[]>();
  for (const t of tasks) groups.set(t.repo_dir, [...(groups.get(t.repo_dir) ?? []), t]);
  return groups;
}

async function loadCorpus(root: string, o: EvalRunOptions, repoDir: string): Promise<EvalCorpus> {
  const started = performance.now();
  const files = await loadRepoFiles(root, o.chunkTokens ? { chunkTokens: o.chunkTokens } : {});
  const corpus = buildEvalCorpus(files, new HashedEncoder(o.hashedDim ? { dim: o.hashedDim } : {}));
  o.onRepo?.(repoDir, files.length, corpus.chunks.length, performance.now() - started);
  return corpus;
}

async function runTask(corpus: EvalCorpus, task: EvalTask, o: EvalRunOptions): Promise<TaskResult[]> {
  const out: TaskResult[] = [];
  for (const name of o.retrievers) {
    const started = performance.now();
    const context = contextText(buildContext(corpus, task, name, o.retrieval));
    const scored = scoreContext(task, name, context, performance.now() - started);
    out.push(o.generation ? await withGeneration(scored, task, context, o) : scored);
  }
  return out;
}

async function withGeneration(result: TaskResult, task: EvalTask, context: string, o: EvalRunOptions): Promise<TaskResult> {
  const g = o.generation;
  if (!g) return result;
  const started = performance.now();
  const line = await generateFirstLine(g.backend, fimPrompt(task, context, g.options), g.options, o.token);
  return { ...result, ...scoreGeneration(task, line), generationMs: performance.now() - started };
}

/** Scores every task of the file with every retriever. Repositories are resolved against the tasks file. */
export async function runEval(tasksFile: string, o: EvalRunOptions): Promise<EvalRun> {
  const all = await readTasksFile(tasksFile);
  const tasks = o.limit ? all.slice(0, o.limit) : all;
  const results: TaskResult[] = [];
  for (const [repoDir, group] of groupByRepo(tasks)) {
    throwIfCancelled(o.token);
    const corpus = await loadCorpus(path.resolve(path.dirname(tasksFile), repoDir), o, repoDir);
    for (const task of group) {
      throwIfCancelled(o.token);
      results.push(...(await runTask(corpus, task, o)));
      o.onTask?.(results.length / o.retrievers.length, tasks.length);
    }
  }
  return { results, summary: summarize(results) };
}

export function describeBudget(o: RetrievalOptions): string {
  return `${o.budget.size} ${o.budget.unit === 'chars' ? 'characters' : 'estimated tokens'}`;
}

/** Writes results.jsonl, summary.json and summary.md; returns the markdown. */
export async function writeEvalOutputs(outDir: string, run: EvalRun, o: EvalRunOptions): Promise<string> {
  await fs.mkdir(outDir, { recursive: true });
  const model = o.generation ? `, generation: ${o.generation.label}` : '';
  const title = `Budget ${describeBudget(o.retrieval)}, baseline query ${o.retrieval.queryLines ?? DEFAULT_QUERY_LINES} prefix + ${o.retrieval.suffixLines ?? 0} suffix lines, ours: the editor's query, hashed dim ${o.hashedDim ?? DEFAULT_HASHED_DIM}${model}`;
  const md = summaryMarkdown(run.summary, title);
  await fs.writeFile(path.join(outDir, 'results.jsonl'), run.results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await fs.writeFile(path.join(outDir, 'summary.json'), JSON.stringify({ options: o.retrieval, chunkTokens: o.chunkTokens, hashedDim: o.hashedDim ?? DEFAULT_HASHED_DIM, ...(o.generation ? { generation: { model: o.generation.label, ...o.generation.options } } : {}), rows: run.summary }, null, 2) + '\n');
  await fs.writeFile(path.join(outDir, 'summary.md'), md);
  return md;
}
