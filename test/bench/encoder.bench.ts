// bench:encoder — the ONNX encoder on real code chunks, in one run and process, in two parts.
// Throughput (this repository's src/, AstChunker, 256-token chunks):
//   raw   session.run alone in a worker thread (this same script), on pre-tokenised, pre-padded batches:
//         exactly the batches the encoder's host builds (same windows, length sort, batch size, threads,
//         session options, thread priority --nice);
//   ours  OnnxEncoder.encode end to end: post to the worker, tokenize, run, mean-pool, normalise, return
//         (caches off, so every round computes everything).
//   The chunks are split into groups of --group texts; raw and ours alternate group by group (the order
//   flips every group), so load from other processes falls on both sides alike. Reported: emb/s of each
//   side per round (best, median), the throughput ratio ours/raw over all rounds (target >= 0.85), and the
//   share of our wall time spent inside session.run in the worker (a load-independent view of our own
//   overhead). This thread plays the index worker's part here (it holds the encoder client).
// Extension-host lag (lib/indexerLag.ts): this thread does what the extension host does while a workspace
//   is indexed with squeeze.models.encoderPath set (the real IndexWorkerClient, index worker and nested
//   encoder worker, first index of --corpus), and a LagProbe (lib/mainThreadLagProbe.ts) splits its lag
//   into this thread's own CPU time and OS preemption; an idle phase and a control phase (the raw worker
//   running the same model, none of our code in between) run in the same rounds for the same time.
//   Target: no stretch of this thread's own work longer than 50 ms. A self-check first burns
//   --probe-check-ms of CPU in a callback and requires every view to show it; --inject-ms N burns N ms in
//   the first progress handler of every index phase, to see the real path report it.
// Build the model first: /usr/bin/python3 scripts/models/buildTestModels.py bench-encoder
//   node dist/bench/encoder.bench.cjs [--model .models/minilm-l6-shape] [--precision q8] [--chunks 96]
//        [--group 16] [--batch 8] [--max-tokens 256] [--rounds 3] [--threads N] [--provider auto] [--nice 10]
//        [--corpus src/node/encode] [--lag-rounds 3] [--inject-ms 0] [--probe-check-ms 100]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { EncoderTokenizer } from '../../src/node/encode/encoderTokenizer.ts';
import { openOnnxEncoder, type OnnxEncoder } from '../../src/node/encode/onnxEncoder.ts';
import type { ProviderSetting } from '../../src/node/generate/sessionFactory.ts';
import type { EncoderPrecisionSetting } from '../../src/node/encode/encoderFolder.ts';
import { rawPlan, repoChunkTexts, serveRawWorker, type RawPlan, type RawWorkerData } from './lib/encoderBenchInputs.ts';
import { indexerLagRounds, summarize, type LagPhase } from './lib/indexerLag.ts';
import { printLagTables, type LagOut } from './lib/indexerLagReport.ts';
import { lagProbeSelfCheck } from './lib/mainThreadLagProbe.ts';

const RATIO_TARGET = 0.85;
const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: '.models/minilm-l6-shape' },
    precision: { type: 'string', default: 'q8' },
    chunks: { type: 'string', default: '96' },
    group: { type: 'string', default: '16' },
    batch: { type: 'string', default: '8' },
    'max-tokens': { type: 'string', default: '256' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string', default: String(os.availableParallelism()) },
    provider: { type: 'string', default: 'auto' },
    nice: { type: 'string', default: '10' },
    corpus: { type: 'string', default: 'src/node/encode' },
    'lag-rounds': { type: 'string', default: '3' },
    'inject-ms': { type: 'string', default: '0' },
    'probe-check-ms': { type: 'string', default: '100' },
  },
});

const round = (x: number, d = 2) => Number(x.toFixed(d));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rates = (xs: number[]) => ({ best: round(Math.max(...xs)), median: round(median(xs)) });

interface Sides {
  readonly encoder: OnnxEncoder;
  /** The raw baseline's worker: answers a group index with the ms session.run took for it. */
  readonly raw: Worker;
  readonly groups: readonly (readonly string[])[];
  /** Milliseconds the main thread's event loop was busy while `ours` ran (eventLoopUtilization). */
  readonly busy: { activeMs: number; totalMs: number; encoding: boolean };
}

const reply = <T>(w: Worker) => new Promise<T>((resolve, reject) => {
  const fail = (e: Error) => reject(e);
  w.once('error', fail);
  w.once('message', (m: T) => {
    w.off('error', fail);
    resolve(m);
  });
});

/** Main-thread garbage collections while `on()` is true: count, total and longest pause (until `stop()`). */
function watchGc(on: () => boolean): { count: number; totalMs: number; maxMs: number; stop: () => void } {
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!on()) continue;
      gc.count++;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
  });
  const gc = { count: 0, totalMs: 0, maxMs: 0, stop: () => observer.disconnect() };
  observer.observe({ entryTypes: ['gc'] });
  return gc;
}

/** One round: every group through both sides, alternating which goes first. Wall ms of each side. */
async function roundMs(s: Sides, flip: boolean): Promise<{ raw: number; ours: number }> {
  const t = { raw: 0, ours: 0 };
  const raw = async (i: number) => {
    s.raw.postMessage(i);
    t.raw += await reply<number>(s.raw);
  };
  const ours = async (i: number) => {
    s.busy.encoding = true;
    const elu = performance.eventLoopUtilization();
    const t0 = performance.now();
    await s.encoder.encode(s.groups[i]!);
    t.ours += performance.now() - t0;
    const used = performance.eventLoopUtilization(elu);
    s.busy.activeMs += used.active;
    s.busy.totalMs += used.idle + used.active;
    s.busy.encoding = false;
  };
  for (let i = 0; i < s.groups.length; i++) {
    if ((i % 2 === 0) !== flip) await raw(i).then(() => ours(i));
    else await ours(i).then(() => raw(i));
  }
  return t;
}

async function startRawWorker(encoder: OnnxEncoder, threads: number, plans: readonly RawPlan[]): Promise<Worker> {
  const data: RawWorkerData = { onnxFile: encoder.folder.onnxFile, provider: encoder.provider, threads, nice: Number(args.nice), groups: plans.map((p) => p.batches) };
  const w = new Worker(fileURLToPath(import.meta.url), { workerData: data });
  await reply(w);
  return w;
}

/** The control load of the lag part: the raw worker runs group after group until `stop.now`. */
async function controlLoad(raw: Worker, groups: number, stop: { now: boolean }): Promise<void> {
  for (let i = 0; !stop.now; i = (i + 1) % groups) {
    raw.postMessage(i);
    await reply<number>(raw);
  }
}

interface Setup {
  readonly model: string;
  readonly texts: readonly string[];
  readonly plans: readonly RawPlan[];
  readonly sides: Sides;
  readonly loadMs: number;
  readonly threads: number;
  readonly batchSize: number;
}

async function setUp(): Promise<Setup> {
  const model = path.resolve(args.model);
  if (!fs.existsSync(model)) throw new Error(`${model} not found: build it with /usr/bin/python3 scripts/models/buildTestModels.py bench-encoder`);
  const batchSize = Number(args.batch);
  const threads = Number(args.threads);
  const texts = await repoChunkTexts(path.resolve('src'), Number(args.chunks));
  const t0 = performance.now();
  const encoder = await openOnnxEncoder(model, {
    precision: args.precision as EncoderPrecisionSetting, maxTokens: Number(args['max-tokens']), batchSize, threads,
    provider: args.provider as ProviderSetting, memoryCacheEntries: 0, workerNice: Number(args.nice),
  });
  const loadMs = performance.now() - t0;
  const size = Math.max(1, Number(args.group));
  const groups = Array.from({ length: Math.ceil(texts.length / size) }, (_, i) => texts.slice(i * size, (i + 1) * size));
  const tokenizer = new EncoderTokenizer(encoder.folder);
  const plans = groups.map((g) => rawPlan(g, tokenizer, batchSize));
  const sides: Sides = { encoder, raw: await startRawWorker(encoder, threads, plans), groups, busy: { activeMs: 0, totalMs: 0, encoding: false } };
  return { model, texts, plans, sides, loadMs, threads, batchSize };
}

/** The throughput part: raw and ours alternating, --rounds rounds. */
async function throughput(u: Setup): Promise<Record<string, unknown> & ThroughputOut> {
  const { sides, texts, plans, model } = u;
  const encoder = sides.encoder;
  const gc = watchGc(() => sides.busy.encoding);
  sides.raw.postMessage(0); // warm-up of both sides
  await reply(sides.raw);
  await encoder.encode(sides.groups[0]!);
  const runMs0 = encoder.stats.runMs;
  const rounds: { raw: number; ours: number }[] = [];
  for (let r = 0; r < Math.max(1, Number(args.rounds)); r++) rounds.push(await roundMs(sides, r % 2 === 1));
  const inRun = encoder.stats.runMs - runMs0;
  gc.stop();
  const perS = (ms: number) => (texts.length * 1000) / ms;
  const sum = (k: 'raw' | 'ours') => rounds.reduce((a, x) => a + x[k], 0);
  const tokens = plans.reduce((a, p) => a + p.tokens, 0);
  const lengths = plans.flatMap((p) => p.lengths);
  return {
    model, encoderId: encoder.id, precision: encoder.folder.precision, dim: encoder.dim, provider: encoder.provider, runsIn: encoder.runsIn,
    threads: u.threads, workerNice: Number(args.nice), batchSize: u.batchSize, maxTokens: encoder.folder.maxTokens, loadMs: round(u.loadMs, 0), rounds: rounds.length,
    groupTexts: sides.groups[0]!.length, chunks: texts.length, chars: texts.reduce((a, t) => a + t.length, 0), tokens, paddedTokens: plans.reduce((a, p) => a + p.paddedTokens, 0),
    meanTokensPerChunk: round(tokens / texts.length, 1), truncatedChunks: lengths.filter((n) => n >= encoder.folder.maxTokens).length,
    rawEmbPerS: rates(rounds.map((x) => perS(x.raw))), oursEmbPerS: rates(rounds.map((x) => perS(x.ours))),
    ratio: { allRounds: round(sum('raw') / sum('ours'), 3), medianOfRounds: round(median(rounds.map((x) => x.raw / x.ours)), 3), target: RATIO_TARGET },
    sessionRunShareOfOurs: round(inRun / sum('ours'), 3),
    clientThreadBusyWhileEncoding: round(sides.busy.activeMs / sides.busy.totalMs, 4),
    clientThreadGcWhileEncoding: { count: gc.count, totalMs: round(gc.totalMs), maxMs: round(gc.maxMs) },
    encodingWallMs: round(sides.busy.totalMs, 0),
  };
}

/** The extension-host lag part: index / idle / control phases, --lag-rounds rounds. */
async function hostLag(u: Setup): Promise<LagOut> {
  const corpus = path.resolve(args.corpus);
  const keepAlive = setInterval(() => undefined, 1000); // the index worker client unrefs its worker
  try {
    const phases = await indexerLagRounds(
      {
        workerFile: fileURLToPath(new URL('../workers/indexWorker.cjs', import.meta.url)), corpus, encoderPath: u.model,
        rounds: Math.max(1, Number(args['lag-rounds'])), injectMs: Number(args['inject-ms']), control: (stop) => controlLoad(u.sides.raw, u.sides.groups.length, stop),
      },
      (p: LagPhase) => console.error(`lag round ${p.round} ${p.kind}: ${Math.round(p.report.wallMs)} ms, late max ${p.report.gaps.maxLateMs} ms, own CPU max ${p.report.gaps.maxCpuMs} ms${p.index ? `, ${p.index.chunks} chunks` : ''}`),
    );
    const sum = (k: 'index' | 'idle' | 'control') => summarize(phases, k);
    return { corpus, injectMs: Number(args['inject-ms']), summary: { index: sum('index'), idle: sum('idle'), control: sum('control') }, phases };
  } finally {
    clearInterval(keepAlive);
  }
}

async function main(): Promise<void> {
  const selfCheck = await lagProbeSelfCheck(Number(args['probe-check-ms']));
  const u = await setUp();
  const tp = await throughput(u);
  await u.sides.encoder.dispose(); // its worker is not needed by the lag part
  const lag = await hostLag(u);
  await u.sides.raw.terminate();
  const out = { bench: 'encoder', node: process.version, cpus: os.cpus().length, loadavg: os.loadavg().map((x) => round(x)), ...tp, lag: { selfCheck, ...lag } };
  console.log(JSON.stringify(out, null, 2));
  printTable(tp);
  printLagTables(selfCheck, lag);
  if (!selfCheck.passed) process.exitCode = 1;
}

type ThroughputOut = {
  rawEmbPerS: { best: number; median: number };
  oursEmbPerS: { best: number; median: number };
  ratio: { allRounds: number; medianOfRounds: number; target: number };
  sessionRunShareOfOurs: number;
  clientThreadBusyWhileEncoding: number;
  clientThreadGcWhileEncoding: { count: number; totalMs: number; maxMs: number };
  meanTokensPerChunk: number;
  chunks: number;
  paddedTokens: number;
  tokens: number;
};

function printTable(o: ThroughputOut): void {
  const met = (ok: boolean) => (ok ? 'yes' : 'NO');
  const rows: [string, string, string][] = [
    ['chunks / mean tokens per chunk / padding overhead', `${o.chunks} / ${o.meanTokensPerChunk} / ${round(o.paddedTokens / o.tokens - 1, 3)}`, ''],
    ['raw session.run emb/s (best; median round)', `${o.rawEmbPerS.best}; ${o.rawEmbPerS.median}`, ''],
    ['end-to-end emb/s (best; median round)', `${o.oursEmbPerS.best}; ${o.oursEmbPerS.median}`, ''],
    [`ratio end-to-end / raw (all rounds; median) >= ${RATIO_TARGET}`, `${o.ratio.allRounds}; ${o.ratio.medianOfRounds}`, met(o.ratio.allRounds >= RATIO_TARGET)],
    ['share of end-to-end wall time inside session.run (worker)', `${o.sessionRunShareOfOurs}`, ''],
    ['encoder client thread busy while encoding (event-loop utilization)', `${o.clientThreadBusyWhileEncoding}`, ''],
    ['encoder client thread GC while encoding: count / total / longest', `${o.clientThreadGcWhileEncoding.count} / ${o.clientThreadGcWhileEncoding.totalMs} / ${o.clientThreadGcWhileEncoding.maxMs} ms`, ''],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['metric', 'value', 'met'][i]!.length));
  const line = (c: readonly string[]) => `| ${c.map((x, i) => x.padEnd(w[i]!)).join(' | ')} |`;
  console.log(['', line(['metric', 'value', 'met']), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(line)].join('\n'));
}

if (isMainThread) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  void serveRawWorker(parentPort!, workerData as RawWorkerData);
}
