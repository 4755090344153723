/**
 * The extension host's event loop while a workspace is indexed with the ONNX encoder, measured the way the
 * extension runs it: this (main) thread only drives the extension's own `IndexWorkerClient`, which starts
 * dist/workers/indexWorker.cjs; that worker scans and chunks the corpus and encodes it through the nested
 * encoder worker (`encoderPath`, as `squeeze.models.encoderPath` sets it). The main thread receives
 * progress and log messages only, as in the extension host, and a LagProbe watches it.
 * Two references are measured in the same run for the same time: an idle main thread, and a control
 * where a worker runs the same model on the same cores (session.run alone, none of our code in between)
 * while this thread only receives one reply per group. Phases rotate round by round so that load from
 * other processes falls on all three alike.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CancellationTokenSource } from '../../../src/common/cancellation.ts';
import type { IndexSummary } from '../../../src/node/indexer/repositoryIndexer.ts';
// eslint-disable-next-line no-restricted-imports -- the bench drives the extension's own (vscode-free) worker client
import { IndexWorkerClient } from '../../../src/vscode/index/indexWorkerClient.ts';
import { burnCpu, LagProbe, type LagReport } from './mainThreadLagProbe.ts';
import { countingLogger } from './surfaceLag.ts';

export type LagPhaseKind = 'index' | 'idle' | 'control';

export interface LagPhase {
  readonly kind: LagPhaseKind;
  readonly round: number;
  readonly report: LagReport;
  /** Index phases: what the worker did and what reached this thread. */
  readonly index?: { readonly chunks: number; readonly files: number; readonly progressMessages: number; readonly logMessages: number; readonly lastStatus: string };
}

export interface IndexerLagOptions {
  /** dist/workers/indexWorker.cjs. */
  readonly workerFile: string;
  /** Folder to index (a real code tree). */
  readonly corpus: string;
  /** The encoder model folder, as squeeze.models.encoderPath. */
  readonly encoderPath: string;
  readonly rounds: number;
  /** CPU ms burnt by this thread's progress handler at the first progress message (0: none): proves the bench can fail. */
  readonly injectMs: number;
  /** Runs the control load until `stop.now` turns true. */
  readonly control: (stop: { now: boolean }) => Promise<void>;
}

const ORDERS: readonly (readonly LagPhaseKind[])[] = [['index', 'idle', 'control'], ['control', 'index', 'idle'], ['idle', 'control', 'index']];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One first index in a fresh worker (as after the extension starts: no vector cached), probed. */
async function indexPhase(o: IndexerLagOptions, round: number): Promise<LagPhase> {
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-encoder-lag-'));
  const logs = { n: 0 };
  const client = new IndexWorkerClient(o.workerFile, countingLogger(logs));
  const source = new CancellationTokenSource();
  const seen = { progress: 0, status: '' };
  const probe = new LagProbe();
  let report: LagReport | undefined;
  probe.start();
  try {
    const summary: IndexSummary = await client.index(
      { root: o.corpus, indexDir, maxFileBytes: 1_000_000, chunkTokens: 256, extraExcludes: [], encoderPath: o.encoderPath, fresh: true },
      (p) => {
        // what the extension does per progress message: keep it, render the status text
        seen.progress++;
        seen.status = `Squeeze ${p.phase} ${p.done}/${p.total}`;
        if (o.injectMs > 0 && seen.progress === 1) burnCpu(o.injectMs);
      },
      source.token,
    );
    report = probe.stop();
    return { kind: 'index', round, report, index: { chunks: summary.chunks, files: summary.files, progressMessages: seen.progress, logMessages: logs.n, lastStatus: seen.status } };
  } finally {
    if (!report) probe.stop();
    source.dispose();
    client.dispose();
    fs.rmSync(indexDir, { recursive: true, force: true });
  }
}

async function timedPhase(kind: 'idle' | 'control', ms: number, o: IndexerLagOptions, round: number): Promise<LagPhase> {
  const stop = { now: false };
  const probe = new LagProbe();
  probe.start();
  const load = kind === 'control' ? o.control(stop) : Promise.resolve();
  await sleep(ms);
  const report = probe.stop();
  stop.now = true;
  await load;
  return { kind, round, report };
}

/** Every round runs the three phases (order rotating); idle and control last as long as the latest index. */
export async function indexerLagRounds(o: IndexerLagOptions, onPhase: (p: LagPhase) => void): Promise<LagPhase[]> {
  const phases: LagPhase[] = [];
  let indexMs: number | undefined;
  for (let round = 0; round < o.rounds; round++) {
    for (const kind of ORDERS[round % ORDERS.length]!) {
      if (kind !== 'index' && indexMs === undefined) continue; // not before the first index sets the length
      const t0 = performance.now();
      const phase = kind === 'index' ? await indexPhase(o, round) : await timedPhase(kind, indexMs!, o, round);
      if (kind === 'index') indexMs = performance.now() - t0;
      phases.push(phase);
      onPhase(phase);
    }
  }
  return phases;
}

export interface LagSummary {
  readonly phases: number;
  readonly wallMs: number;
  /** Worst over the phases of this kind. */
  readonly histogramP99Ms: number;
  readonly histogramMaxMs: number;
  readonly maxLateMs: number;
  readonly ticksOver50: number;
  readonly ticks: number;
  readonly worstGap: LagReport['gaps']['worst'];
  readonly maxGapCpuMs: number | undefined;
  /** Garbage-collection ms inside that gap. */
  readonly maxGapCpuGcMs: number | undefined;
  readonly maxCallbackWallMs: number;
  readonly maxCallbackCpuMs: number | undefined;
  readonly cpuShare: number | undefined;
  readonly waitShare: number | undefined;
  readonly gc: { readonly count: number; readonly maxMs: number };
}

const maxOf = (xs: readonly (number | undefined)[]) => (xs.some((x) => x === undefined) ? undefined : Math.max(0, ...(xs as number[])));
const mean = (xs: readonly (number | undefined)[]) => (xs.some((x) => x === undefined) || !xs.length ? undefined : Number(((xs as number[]).reduce((a, b) => a + b, 0) / xs.length).toFixed(3)));

export function summarize(phases: readonly LagPhase[], kind: LagPhaseKind): LagSummary | undefined {
  const rs = phases.filter((p) => p.kind === kind).map((p) => p.report);
  if (!rs.length) return undefined;
  const worst = rs.reduce((a, r) => (r.gaps.maxLateMs > a.gaps.maxLateMs ? r : a));
  const busiest = rs.reduce((a, r) => ((r.gaps.maxCpuMs ?? 0) > (a.gaps.maxCpuMs ?? 0) ? r : a));
  return {
    phases: rs.length, wallMs: Math.round(rs.reduce((a, r) => a + r.wallMs, 0)),
    histogramP99Ms: maxOf(rs.map((r) => r.histogram.p99Ms))!, histogramMaxMs: maxOf(rs.map((r) => r.histogram.maxMs))!,
    maxLateMs: worst.gaps.maxLateMs, ticksOver50: rs.reduce((a, r) => a + r.gaps.over50, 0), ticks: rs.reduce((a, r) => a + r.gaps.ticks, 0),
    worstGap: worst.gaps.worst, maxGapCpuMs: maxOf(rs.map((r) => r.gaps.maxCpuMs)), maxGapCpuGcMs: busiest.gaps.maxCpuGcMs,
    maxCallbackWallMs: maxOf(rs.map((r) => r.callbacks.maxWallMs))!, maxCallbackCpuMs: maxOf(rs.map((r) => r.callbacks.maxCpuMs)),
    cpuShare: mean(rs.map((r) => r.thread?.cpuShare)), waitShare: mean(rs.map((r) => r.thread?.waitShare)),
    gc: { count: rs.reduce((a, r) => a + r.gc.count, 0), maxMs: maxOf(rs.map((r) => r.gc.maxMs))! },
  };
}
