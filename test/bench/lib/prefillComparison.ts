/**
 * Prefill tokens per request over an editing session, `sequential` against `parallel`, through the real
 * runtime: each request's prompt is assembled by the context engine (`cursorContextOfText`: retrieval, budgeted
 * assembly, the model's tokenizer per segment), positioned by the policy (`assignPositions`), turned into a
 * decoder request (`planRequest`) and run by an `OnnxDecoder` with its prefix cache and, for `parallel`, its
 * chunk cache. Each policy has its own decoder, so each keeps the caches its earlier requests left. The model's
 * arithmetic is replaced by CountingModel; the counts are the decoder's own stats.
 */
import { performance } from 'node:perf_hooks';
import type { ScoredChunk } from '../../../src/common/compress/compressTypes.ts';
import { assignPositions } from '../../../src/common/positions/assignPositions.ts';
import { planRequest } from '../../../src/common/positions/planRequest.ts';
import type { PositionPlan } from '../../../src/common/positions/positionTypes.ts';
import { CachedTokenizer } from '../../../src/common/assemble/cachedTokenizer.ts';
import { cursorContextOfText } from '../../../src/node/context/cursorContext.ts';
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
  /** sequential, parallel (chunk cache filled as the session goes), parallel again (chunk cache pre-warmed by the first pass). */
  readonly runs: readonly PolicyRun[];
  /** Chunk segments per prompt, and the context engine's time per request (retrieval to positions). */
  readonly chunksPerPrompt: number[];
  readonly contextMs: number[];
}

export type Search = (query: string, k: number) => Promise<readonly ScoredChunk[]>;

function emptyRun(policy: string): PolicyRun {
  return { policy, promptTokens: [], prefillTokens: [], reusedTokens: [], chunkCacheTokens: [] };
}

async function runPlans(decoder: OnnxDecoder, plans: readonly PositionPlan[], c: PrefillConfig, policy: string): Promise<PolicyRun> {
  const run = emptyRun(policy);
  for (const plan of plans) {
    const r = await decoder.generate(planRequest(plan), { maxTokens: c.maxTokens, speculative: false });
    run.promptTokens.push(r.stats.promptTokens);
    run.prefillTokens.push(r.stats.prefillTokens);
    run.reusedTokens.push(r.stats.reusedTokens);
    run.chunkCacheTokens.push(r.stats.chunkCacheTokens ?? 0);
  }
  return run;
}

interface Planned {
  readonly sequential: PositionPlan[];
  readonly parallel: PositionPlan[];
  readonly chunksPerPrompt: number[];
  readonly contextMs: number[];
}

/** Every request's prompt through the context engine, positioned both ways (the window anchored to the last one's). */
async function planSession(rel: string, requests: readonly EditRequest[], folder: ModelFolder, search: Search, c: PrefillConfig): Promise<Planned> {
  const out: Planned = { sequential: [], parallel: [], chunksPerPrompt: [], contextMs: [] };
  const contextLength = folder.config.contextLength;
  const tokenizer = new CachedTokenizer(folder.tokenizer);
  let anchorLine: number | undefined;
  for (const req of requests) {
    const t0 = performance.now();
    const ctx = await cursorContextOfText(rel, req.text, {
      line: req.line + 1, column: req.character + 1, budget: c.budget, windowShare: c.windowShare, k: c.k, contextLength, reserve: c.maxTokens,
      search, policy: 'sequential', tokenizer, ...(folder.fim ? { fim: folder.fim.style } : {}), ...(c.anchored && anchorLine !== undefined ? { anchorLine } : {}),
    });
    out.parallel.push(assignPositions(ctx.tokens, { policy: 'parallel', contextLength, reserve: c.maxTokens }));
    out.contextMs.push(performance.now() - t0);
    out.sequential.push(ctx.plan);
    out.chunksPerPrompt.push(ctx.tokens.filter((s) => s.kind === 'chunk').length);
    anchorLine = ctx.windowStartLine;
  }
  return out;
}

export async function comparePrefill(rel: string, requests: readonly EditRequest[], folder: ModelFolder, search: Search, c: PrefillConfig): Promise<PrefillComparison> {
  const planned = await planSession(rel, requests, folder, search, c);
  const decoder = (name: string): OnnxDecoder => new OnnxDecoder(folder, new CountingModel(folder.config), `count-${name}`);
  const parallel = decoder('parallel');
  const runs = [
    await runPlans(decoder('sequential'), planned.sequential, c, 'sequential'),
    await runPlans(parallel, planned.parallel, c, 'parallel'),
    await runPlans(parallel, planned.parallel, c, 'parallel, chunk cache pre-warmed'),
  ];
  return { config: c, runs, chunksPerPrompt: planned.chunksPerPrompt, contextMs: planned.contextMs };
}
