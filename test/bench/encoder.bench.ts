// bench:encoder — the ONNX encoder on real code chunks (this repository's src/, AstChunker, 256-token
// chunks), everything in the same run and process:
//   raw   session.run alone in a worker thread (this same script), on pre-tokenised, pre-padded batches:
//         exactly the batches the encoder's host builds (same windows, length sort, batch size, threads,
//         session options, thread priority --nice);
//   ours  OnnxEncoder.encode end to end: post to the worker, tokenize, run, mean-pool, normalise, return
//         (caches off, so every round computes everything).
// The chunks are split into groups of --group texts; raw and ours alternate group by group (the order
// flips every group), so load from other processes falls on both sides alike. Reported: emb/s of each
// side per round (best, median), the throughput ratio ours/raw over all rounds (target >= 0.85), the
// share of our wall time spent inside session.run in the worker (a load-independent view of our own
// overhead), and the main thread's event-loop lag while `ours` runs (how late a 10 ms timer fires; target
// max <= 50 ms), next to the lag of an idle loop on the same machine and the share of that time the main
// thread's loop was busy at all (what is left of the lag is the OS scheduling other threads).
// Build the model first: /usr/bin/python3 scripts/models/buildTestModels.py bench-encoder
//   node dist/bench/encoder.bench.cjs [--model .models/minilm-l6-shape] [--precision q8] [--chunks 96]
//        [--group 16] [--batch 8] [--max-tokens 256] [--rounds 3] [--threads N] [--provider auto] [--nice 10]
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

const RATIO_TARGET = 0.85;
const LAG_TARGET_MS = 50;
const LAG_RESOLUTION_MS = 10;
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
  },
});

const round = (x: number, d = 2) => Number(x.toFixed(d));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rates = (xs: number[]) => ({ best: round(Math.max(...xs)), median: round(median(xs)) });

interface Lag {
  maxMs: number;
  p99Ms: number;
  /** Samples, and how many of them came more than LAG_TARGET_MS late. */
  samples: number;
  over50: number;
}

/**
 * Event-loop lag by a timer: every LAG_RESOLUTION_MS a timeout measures how late it fired. Samples
 * accumulate over every start/stop period (and only then: the raw side blocks the loop between periods).
 */
class LagSampler {
  readonly samples: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    let due = performance.now() + LAG_RESOLUTION_MS;
    const tick = () => {
      const now = performance.now();
      this.samples.push(Math.max(0, now - due));
      due = now + LAG_RESOLUTION_MS;
      this.timer = setTimeout(tick, LAG_RESOLUTION_MS);
    };
    this.timer = setTimeout(tick, LAG_RESOLUTION_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  get lag(): Lag {
    const sorted = [...this.samples].sort((a, b) => a - b);
    return {
      maxMs: round(sorted[sorted.length - 1] ?? 0), p99Ms: round(sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)] ?? 0),
      samples: sorted.length, over50: sorted.filter((x) => x > LAG_TARGET_MS).length,
    };
  }
}

async function idleLag(ms: number): Promise<Lag> {
  const sampler = new LagSampler();
  sampler.start();
  await new Promise((r) => setTimeout(r, ms));
  sampler.stop();
  return sampler.lag;
}

interface Sides {
  readonly encoder: OnnxEncoder;
  /** The raw baseline's worker: answers a group index with the ms session.run took for it. */
  readonly raw: Worker;
  readonly groups: readonly (readonly string[])[];
  /** The main thread's delay while `ours` runs. */
  readonly lag: LagSampler;
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

/** Main-thread garbage collections while `on()` is true: count, total and longest pause. */
function watchGc(on: () => boolean): { count: number; totalMs: number; maxMs: number } {
  const gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!on()) continue;
      gc.count++;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
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
    s.lag.start();
    s.busy.encoding = true;
    const elu = performance.eventLoopUtilization();
    const t0 = performance.now();
    await s.encoder.encode(s.groups[i]!);
    t.ours += performance.now() - t0;
    const used = performance.eventLoopUtilization(elu);
    s.busy.activeMs += used.active;
    s.busy.totalMs += used.idle + used.active;
    s.busy.encoding = false;
    s.lag.stop();
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

async function main(): Promise<void> {
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
  const sides: Sides = { encoder, raw: await startRawWorker(encoder, threads, plans), groups, lag: new LagSampler(), busy: { activeMs: 0, totalMs: 0, encoding: false } };
  const gc = watchGc(() => sides.busy.encoding);
  sides.raw.postMessage(0); // warm-up of both sides
  await reply(sides.raw);
  await encoder.encode(groups[0]!);
  const runMs0 = encoder.stats.runMs;
  const rounds: { raw: number; ours: number }[] = [];
  for (let r = 0; r < Number(args.rounds); r++) rounds.push(await roundMs(sides, r % 2 === 1));
  const inRun = encoder.stats.runMs - runMs0;
  await sides.raw.terminate();
  const idle = await idleLag(Math.min(15_000, sides.busy.totalMs)); // as long as the encoding was watched
  const lag = sides.lag.lag;
  const perS = (ms: number) => (texts.length * 1000) / ms;
  const rawR = rates(rounds.map((x) => perS(x.raw)));
  const oursR = rates(rounds.map((x) => perS(x.ours)));
  const sum = (k: 'raw' | 'ours') => rounds.reduce((a, x) => a + x[k], 0);
  const tokens = plans.reduce((a, p) => a + p.tokens, 0);
  const padded = plans.reduce((a, p) => a + p.paddedTokens, 0);
  const lengths = plans.flatMap((p) => p.lengths);
  const out = {
    bench: 'encoder', node: process.version, cpus: os.cpus().length, loadavg: os.loadavg().map((x) => round(x)),
    model, encoderId: encoder.id, precision: encoder.folder.precision, dim: encoder.dim, provider: encoder.provider, runsIn: encoder.runsIn,
    threads, workerNice: Number(args.nice), batchSize, maxTokens: encoder.folder.maxTokens, loadMs: round(loadMs, 0), rounds: rounds.length, groupTexts: size,
    chunks: texts.length, chars: texts.reduce((a, t) => a + t.length, 0), tokens, paddedTokens: padded,
    meanTokensPerChunk: round(tokens / texts.length, 1), truncatedChunks: lengths.filter((n) => n >= encoder.folder.maxTokens).length,
    rawEmbPerS: rawR, oursEmbPerS: oursR,
    ratio: { allRounds: round(sum('raw') / sum('ours'), 3), medianOfRounds: round(median(rounds.map((x) => x.raw / x.ours)), 3), target: RATIO_TARGET },
    sessionRunShareOfOurs: round(inRun / sum('ours'), 3),
    eventLoopLagMs: {
      max: lag.maxMs, p99: lag.p99Ms, samples: lag.samples, samplesOver50: lag.over50,
      idleMax: idle.maxMs, idleP99: idle.p99Ms, idleSamples: idle.samples, idleSamplesOver50: idle.over50, target: LAG_TARGET_MS,
    },
    mainThreadBusyWhileEncoding: round(sides.busy.activeMs / sides.busy.totalMs, 4),
    mainThreadGcWhileEncoding: { count: gc.count, totalMs: round(gc.totalMs), maxMs: round(gc.maxMs) },
    encodingWallMs: round(sides.busy.totalMs, 0),
  };
  console.log(JSON.stringify(out, null, 2));
  printTable(out);
  await encoder.dispose();
}

type Out = {
  rawEmbPerS: { best: number; median: number };
  oursEmbPerS: { best: number; median: number };
  ratio: { allRounds: number; medianOfRounds: number };
  sessionRunShareOfOurs: number;
  eventLoopLagMs: { max: number; p99: number; samples: number; samplesOver50: number; idleMax: number; idleP99: number; idleSamples: number; idleSamplesOver50: number };
  mainThreadBusyWhileEncoding: number;
  mainThreadGcWhileEncoding: { count: number; totalMs: number; maxMs: number };
  meanTokensPerChunk: number;
  chunks: number;
  paddedTokens: number;
  tokens: number;
};

function printTable(o: Out): void {
  const met = (ok: boolean) => (ok ? 'yes' : 'NO');
  const lag = o.eventLoopLagMs;
  const rows: [string, string, string][] = [
    ['chunks / mean tokens per chunk / padding overhead', `${o.chunks} / ${o.meanTokensPerChunk} / ${round(o.paddedTokens / o.tokens - 1, 3)}`, ''],
    ['raw session.run emb/s (best; median round)', `${o.rawEmbPerS.best}; ${o.rawEmbPerS.median}`, ''],
    ['end-to-end emb/s (best; median round)', `${o.oursEmbPerS.best}; ${o.oursEmbPerS.median}`, ''],
    [`ratio end-to-end / raw (all rounds; median) >= ${RATIO_TARGET}`, `${o.ratio.allRounds}; ${o.ratio.medianOfRounds}`, met(o.ratio.allRounds >= RATIO_TARGET)],
    ['share of end-to-end wall time inside session.run (worker)', `${o.sessionRunShareOfOurs}`, ''],
    [`main-thread lag while encoding, max / p99 <= ${LAG_TARGET_MS} ms`, `${lag.max} / ${lag.p99} ms (${lag.samplesOver50}/${lag.samples} samples > ${LAG_TARGET_MS})`, met(lag.max <= LAG_TARGET_MS)],
    ['main-thread lag of an idle loop, max / p99 (machine floor)', `${lag.idleMax} / ${lag.idleP99} ms (${lag.idleSamplesOver50}/${lag.idleSamples} > ${LAG_TARGET_MS})`, ''],
    ['main thread busy while encoding (event-loop utilization)', `${o.mainThreadBusyWhileEncoding}`, ''],
    ['main-thread GC while encoding: count / total / longest', `${o.mainThreadGcWhileEncoding.count} / ${o.mainThreadGcWhileEncoding.totalMs} / ${o.mainThreadGcWhileEncoding.maxMs} ms`, ''],
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
