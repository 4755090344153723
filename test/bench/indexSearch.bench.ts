// bench:index-search — the squeezed-attention ClusterIndex against exact search, a fixed-nprobe IVF and
// hnswlib-node, all in one run, one query at a time on the main thread (issue 11, "Acceptance").
//
//   node --import tsx test/bench/indexSearch.bench.ts [--n 100000] [--queries 1000] [--centers 2000]
//        [--quantiles 0.5,0.7,…] [--targets 0.9,0.95,0.98] [--nprobe 1,2,…] [--ef 10,16,…]
//        [--fine-fraction 0.02] [--coarse-fraction 0.025] [--temperature 0.05] [--nlist √n]
//        [--no-hnsw] [--hnsw-file path [--reuse]] [--json-out path]
//        [--real [--real-roots a,b,…] [--real-mb 130] [--real-dir D] [--hold-every 25] [--query-kind mix]]
//        [--squeeze ff:cf:T,…] [--self-quantiles 0.5,…] [--target-range 0.5,0.99999]
//
// --squeeze builds one index per configuration (the first is "squeeze" in the build table and checks);
// "self-calibrated p" rows set τ from sampled base vectors, as search does at open (no query log needed).
//
// Data: test/bench/lib/syntheticVectors.ts (seeded mixture of gaussian blobs on the sphere; base,
// test queries and calibration queries are separate streams, so no query is a base vector).
// --real: real chunk vectors instead (lib/realCorpus.ts, lib/realVectors.ts): source files of the roots
// (default node_modules and the system Python library) indexed by the project's indexer (AstChunker,
// hashed encoder, IDF), queries from held-out files; recall counts score ties with the k-th exact hit.
// Prints one JSON document, then the tables.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ClusterIndex } from '../../src/common/index/clusterIndex.ts';
import type { CalibrationSet } from '../../src/common/search/calibrationQueries.ts';
import { ClusteredSearch, DEFAULT_CENTROID_SETTINGS } from '../../src/common/search/clusteredSearch.ts';
import { RowMatrix } from '../../src/common/index/rowMatrix.ts';
import { TopKHeap } from '../../src/common/search/topKHeap.ts';
import { DEFAULT_MIXTURE, makeMixture, samplePoints } from './lib/syntheticVectors.ts';
import { DEFAULT_REAL_ROOTS, prepareRealCorpus } from './lib/realCorpus.ts';
import { cachedRealVectors, type QueryKind } from './lib/realVectors.ts';
import { IvfFlat } from './lib/ivfFlat.ts';
import { buildHnsw, hnswSearch, loadHnsw, type HnswIndex } from './lib/hnswBaseline.ts';
import { percentile, recallOf, runQueries, timed, timedAsync, type QueryRun, type RunArgs } from './lib/benchStats.ts';
import { kernelTimings, postingTiming } from './lib/kernelBench.ts';
import { acceptance, firstAt, formatAcceptance, formatTable, type MethodBuild, type SweepRow } from './lib/benchReport.ts';

const list = (s: string): number[] => (s.trim() === '' ? [] : s.split(',').map(Number));
const { values: flags } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '1000' },
    calibration: { type: 'string', default: '500' },
    centers: { type: 'string', default: String(DEFAULT_MIXTURE.centers) },
    k: { type: 'string', default: '10' },
    quantiles: { type: 'string', default: '0.5,0.7,0.8,0.9,0.95,0.97,0.98,0.99' },
    targets: { type: 'string', default: '0.9,0.95,0.98' },
    nprobe: { type: 'string', default: '1,2,3,4,6,8,12,16,24,32' },
    ef: { type: 'string', default: '10,16,24,32,48,64,96,128,192,256,384,512' },
    'fine-fraction': { type: 'string', default: '0.02' },
    'coarse-fraction': { type: 'string', default: '0.025' },
    temperature: { type: 'string', default: '0.05' },
    nlist: { type: 'string' },
    'js-queries': { type: 'string', default: '10' },
    'no-hnsw': { type: 'boolean', default: false },
    'hnsw-file': { type: 'string' },
    reuse: { type: 'boolean', default: false },
    'json-out': { type: 'string' },
    real: { type: 'boolean', default: false },
    'real-roots': { type: 'string', default: DEFAULT_REAL_ROOTS.join(',') },
    'real-mb': { type: 'string', default: '130' },
    'real-dir': { type: 'string', default: '/tmp/squeeze-bench-real' },
    'hold-every': { type: 'string', default: '25' },
    'query-kind': { type: 'string', default: 'mix' },
    squeeze: { type: 'string' },
    'self-quantiles': { type: 'string', default: '0.5,0.6,0.7,0.8' },
    'target-range': { type: 'string', default: '0,0.99999' },
  },
});
const K = Number(flags.k);
/** Set by main() once the data is loaded (synthetic: --n and 384; real: the corpus). */
let N = Number(flags.n);
let DIM = DEFAULT_MIXTURE.dim;
const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);

function exactTopK(m: RowMatrix, q: Float32Array, scratch: Float32Array): { ids: number[]; scored: number } {
  const top = new TopKHeap(K);
  m.setQuery(q);
  for (let a = 0; a < m.rows; a += scratch.length) {
    const len = Math.min(scratch.length, m.rows - a);
    m.score(a, len, scratch);
    for (let i = 0; i < len; i++) if (scratch[i]! >= top.threshold) top.push(a + i, scratch[i]!);
  }
  return { ids: top.sorted().map((h) => h.index), scored: m.rows };
}

/**
 * Real data has exact duplicates and equal scores: a hit counts when its score reaches the k-th exact
 * score (minus float noise), and only positive exact scores count as truth (short queries match few chunks).
 */
function tieAwareRecall(base: Float32Array, queries: Float32Array, truth: number[][]): Pick<RunArgs, 'recall'> {
  if (!flags.real) return {};
  const score = (q: number, id: number): number => {
    let s = 0;
    for (let d = 0; d < DIM; d++) s += queries[q * DIM + d]! * base[id * DIM + d]!;
    return s;
  };
  const need = truth.map((t, q) => {
    const positive = t.map((id) => score(q, id)).filter((s) => s > 1e-6);
    return { count: positive.length, kth: positive.length > 0 ? positive[positive.length - 1]! - 1e-5 : Infinity };
  });
  return {
    recall: (ids, q) => {
      if (need[q]!.count === 0) return 1;
      const good = ids.filter((id) => score(q, id) >= need[q]!.kth).length;
      return Math.min(good, need[q]!.count) / need[q]!.count;
    },
  };
}

/** Exact top-k of the test and calibration queries, and the exact-search timings (WASM and plain JS). */
function exactRuns(base: Float32Array, sets: { queries: Float32Array; calib: Float32Array }, rows: SweepRow[]): { truth: number[][]; calibTruth: number[][] } {
  const scratch = new Float32Array(65536);
  const wasm = new RowMatrix(DIM, N, 'wasm');
  wasm.append(base, 0, N);
  const topOf = (qs: Float32Array): number[][] =>
    Array.from({ length: qs.length / DIM }, (_, i) => exactTopK(wasm, qs.subarray(i * DIM, (i + 1) * DIM), scratch).ids);
  const queries = sets.queries;
  const truth = topOf(queries);
  const args: RunArgs = { queries, dim: DIM, truth, n: N, warmup: 5, ...tieAwareRecall(base, queries, truth) };
  rows.push({ method: 'exact-wasm', setting: 'simd dot1', ...runQueries(args, (q) => exactTopK(wasm, q, scratch)) });
  const js = new RowMatrix(DIM, N, 'js');
  js.append(base, 0, N);
  const few = { ...args, truth: truth.slice(0, Number(flags['js-queries'])), warmup: 2 };
  if (flags.real) log(`exact truth: ${truth.length} test, ${sets.calib.length / DIM} calibration queries`);
  rows.push({ method: 'exact-js', setting: 'scalar loop', ...runQueries(few, (q) => exactTopK(js, q, scratch)) });
  return { truth, calibTruth: topOf(sets.calib) };
}

interface SqueezeConfig {
  readonly fineFraction: number;
  readonly coarseFraction: number;
  readonly temperature: number;
}

/** `--squeeze ff:cf:T,…` (several index configurations in one run), else the single-config flags. */
function squeezeConfigs(): SqueezeConfig[] {
  if (!flags.squeeze) return [{ fineFraction: Number(flags['fine-fraction']), coarseFraction: Number(flags['coarse-fraction']), temperature: Number(flags.temperature) }];
  return flags.squeeze.split(',').map((c) => {
    const [fineFraction, coarseFraction, temperature] = c.split(':').map(Number);
    return { fineFraction: fineFraction!, coarseFraction: coarseFraction!, temperature: temperature! };
  });
}

type SqueezeData = { base: Float32Array; calib: Float32Array; calibTruth: number[][]; args: RunArgs; pseudo?: CalibrationSet };

/** One configuration: build, then τ from calibration queries (quantile rule, recall targets) and from sampled chunks (as search does). */
function squeezeRuns(data: SqueezeData, rows: SweepRow[], config: SqueezeConfig, primary: boolean): MethodBuild {
  const built = timed(() => ClusterIndex.build({ data: data.base, dim: DIM }, undefined, config));
  const index = built.value;
  const h = index.health();
  const tag = `ff ${config.fineFraction} cf ${config.coarseFraction} T ${config.temperature}`;
  log(`squeeze ${tag}: ${h.coarseClusters} coarse, ${h.fineClusters} fine clusters, built in ${(built.ms / 1000).toFixed(1)} s`);
  const calib = { data: data.calib, dim: DIM };
  // Lookups choose between clusters and posting lists per query (sparse rows only): with postings, each
  // setting also runs with the cluster path forced, and the label says how often postings were read.
  const paths = index.hasPostings ? (['auto', 'clusters'] as const) : (['auto'] as const);
  const runPath = (setting: string, path: 'auto' | 'clusters'): SweepRow => {
    let postings = 0;
    let calls = 0;
    const r = runQueries(data.args, (q) => {
      const { hits, explain } = index.search(q, K, { path });
      calls++;
      if (explain.postingsRead !== undefined) postings++;
      return { ids: hits.map((x) => x.id), scored: explain.vectorsScored, centroids: explain.centroidsScored };
    });
    const share = `${Math.round((100 * postings) / calls)}% postings`;
    const label = !index.hasPostings ? setting : path === 'auto' ? `${setting} [auto: ${share}]` : `${setting} [clusters only]`;
    return { method: 'squeeze', setting: `${tag} ${label}`, ...r };
  };
  const run = (setting: string): void => {
    for (const path of paths) rows.push(runPath(setting, path));
  };
  for (const p of list(flags.quantiles)) {
    index.calibrate(calib, p);
    run(`quantile ${p}`);
  }
  for (const p of list(flags['self-quantiles'])) {
    index.calibrate(undefined, p);
    run(`self-calibrated ${p}`);
  }
  if (data.pseudo) {
    // What search does: recall target on pseudo-queries from the base chunks, their sources held out.
    const settings = { ...DEFAULT_CENTROID_SETTINGS, ...config };
    const c = timed(() => new ClusteredSearch(index, N).calibrate(settings, data.pseudo));
    log(`squeeze ${tag}: search's own calibration (${data.pseudo.sources.length} pseudo-queries, target ${settings.recallTarget}) in ${(c.ms / 1000).toFixed(1)} s`);
    run(`search default: target ${settings.recallTarget} on pseudo-queries (${(c.ms / 1000).toFixed(1)} s)`);
  }
  const range = list(flags['target-range']) as [number, number];
  for (const target of list(flags.targets)) {
    const c = timed(() => index.calibrateForRecall(calib, target, { k: K, truth: data.calibTruth, range }));
    const p = `${c.value.quantile.toFixed(4)}/${c.value.fineQuantile.toFixed(4)}`;
    log(`squeeze ${tag}: target ${target} -> quantiles ${p} (calibration recall ${c.value.recall.toFixed(4)}, ${(c.ms / 1000).toFixed(1)} s)`);
    run(`target ${target} (p=${p})`);
  }
  return { method: primary ? 'squeeze' : `squeeze (${tag})`, buildMs: built.ms, buildCpuMs: built.cpuMs, overheadBytes: index.memory().overheadBytes };
}

function ivfRuns(base: Float32Array, args: RunArgs, rows: SweepRow[]): MethodBuild {
  const nlist = Number(flags.nlist ?? Math.round(Math.sqrt(N)));
  const built = timed(() => new IvfFlat({ data: base, dim: DIM }, { nlist, seed: 1, iterations: 10, samplePerCentroid: 64 }));
  const ivf = built.value;
  for (const nprobe of list(flags.nprobe).filter((p) => p <= nlist)) {
    const r = runQueries(args, (q) => ({ ...ivf.search(q, K, nprobe), centroids: nlist }));
    rows.push({ method: 'ivf', setting: `nlist ${nlist} nprobe ${nprobe}`, ...r });
  }
  return { method: 'ivf', buildMs: built.ms, buildCpuMs: built.cpuMs, overheadBytes: ivf.bytesBeyondVectors };
}

async function hnswRuns(base: Float32Array, args: RunArgs, rows: SweepRow[]): Promise<{ build: MethodBuild; index: HnswIndex } | undefined> {
  const Ctor = flags['no-hnsw'] ? undefined : await loadHnsw();
  if (!Ctor) {
    log('hnswlib-node not loaded: skipping that baseline');
    return undefined;
  }
  const b = buildHnsw(Ctor, { data: base, dim: DIM, m: 16, efConstruction: 200, file: flags['hnsw-file'], reuse: flags.reuse });
  if (b.staleReason) log(`hnsw: the saved graph ${flags['hnsw-file']} was not reused: ${b.staleReason}`);
  log(`hnsw: ${b.buildMs === null ? 'reloaded (same vectors)' : `built in ${(b.buildMs / 1000).toFixed(1)} s`}`);
  for (const ef of list(flags.ef)) {
    b.index.setEf(ef);
    rows.push({ method: 'hnsw', setting: `M 16 efC 200 ef ${ef}`, ...runQueries(args, (q) => ({ ids: hnswSearch(b.index, q, K), scored: null })) });
  }
  return { build: { method: 'hnsw', buildMs: b.buildMs, buildCpuMs: b.buildCpuMs, overheadBytes: b.overheadBytes }, index: b.index };
}

type Lookup = (q: Float32Array) => readonly number[];

/** Both lookups on every query, alternating which goes first, `rounds` times: both see the same machine load. */
function interleaved(a: RunArgs, first: Lookup, second: Lookup, rounds: number): [QueryRun, QueryRun] {
  const count = a.truth.length;
  const times: [number[], number[]] = [[], []];
  const recall = [0, 0];
  const lookups = [first, second];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < count; i++) {
      const q = a.queries.subarray(i * a.dim, (i + 1) * a.dim);
      for (const j of i % 2 === 0 ? [0, 1] : [1, 0]) {
        const t0 = performance.now();
        const ids = lookups[j]!(q);
        times[j]!.push(performance.now() - t0);
        if (round === 0) recall[j]! += a.recall ? a.recall(ids, i) : recallOf(ids, a.truth[i]!);
      }
    }
  }
  return [0, 1].map((j) => {
    const t = times[j]!.sort((x, y) => x - y);
    return { recall: recall[j]! / count, p50Ms: percentile(t, 0.5), p99Ms: percentile(t, 0.99), meanMs: t.reduce((x, y) => x + y, 0) / t.length, scoredFraction: null };
  }) as [QueryRun, QueryRun];
}

/**
 * The product's configuration: centroids built and τ calibrated as the indexer stores them
 * (`ClusteredSearch.build` with DEFAULT_CENTROID_SETTINGS and search's pseudo-queries), queried through
 * `topK` as search does; then compared with hnswlib at its first ef reaching 0.95, interleaved per query.
 */
function productRuns(data: Pick<BenchData, 'base' | 'pseudo'>, args: RunArgs, rows: SweepRow[]): ClusteredSearch {
  const built = timed(() => ClusteredSearch.build(data.base, DIM, DEFAULT_CENTROID_SETTINGS, data.pseudo));
  const search = built.value;
  const th = search.index.thresholds;
  log(`product default: built and calibrated in ${(built.ms / 1000).toFixed(1)} s (log τ ${th.logTauCoarse.toFixed(2)} / ${th.logTauFine.toFixed(2)})`);
  rows.push({ method: 'squeeze', setting: `PRODUCT DEFAULT (search's settings, built + calibrated ${(built.ms / 1000).toFixed(1)} s)`, ...runQueries(args, (q) => {
    const r = search.topK(q, K);
    return { ids: r.rows.map((h) => h.row), scored: r.explain.vectorsScored, centroids: r.explain.centroidsScored };
  }) });
  return search;
}

/** The headline of issue 11 for the product's configuration, measured interleaved with hnswlib. */
function productVersusHnsw(product: ClusteredSearch, hnsw: HnswIndex, args: RunArgs, rows: readonly SweepRow[]): object | undefined {
  const first = firstAt(rows, 'hnsw', 0.95);
  if (!first) return undefined;
  const ef = Number(first.setting.split(' ').pop());
  hnsw.setEf(ef);
  const [ours, theirs] = interleaved(args, (q) => product.topK(q, K).rows.map((h) => h.row), (q) => hnswSearch(hnsw, q, K), 3);
  const out = { ef, ours, hnsw: theirs, p50Ratio: ours.p50Ms / theirs.p50Ms, p99Ratio: ours.p99Ms / theirs.p99Ms, loadavg: os.loadavg() };
  console.log(`
PRODUCT DEFAULT vs hnswlib ef ${ef} (first ef reaching 0.95), interleaved per query, 3 rounds, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}:`);
  console.log(`  recall@10 ${ours.recall.toFixed(4)} vs ${theirs.recall.toFixed(4)}; p50 ${ours.p50Ms.toFixed(3)} vs ${theirs.p50Ms.toFixed(3)} ms (ratio ${out.p50Ratio.toFixed(2)}); p99 ${ours.p99Ms.toFixed(2)} vs ${theirs.p99Ms.toFixed(2)} ms (ratio ${out.p99Ratio.toFixed(2)})`);
  return out;
}

interface BenchData {
  readonly base: Float32Array;
  readonly queries: Float32Array;
  readonly calib: Float32Array;
  readonly pseudo?: CalibrationSet;
  /** What the JSON records about the data. */
  readonly about: object;
}

function syntheticData(): BenchData {
  const spec = { ...DEFAULT_MIXTURE, centers: Number(flags.centers) };
  const gen = timed(() => {
    const m = makeMixture(spec);
    return { base: samplePoints(m, N, 'base'), queries: samplePoints(m, Number(flags.queries), 'query'), calib: samplePoints(m, Number(flags.calibration), 'calibration') };
  });
  log(`generated ${N} base + ${flags.queries} query + ${flags.calibration} calibration vectors in ${(gen.ms / 1000).toFixed(1)} s`);
  return { ...gen.value, about: { mixture: spec } };
}

async function realData(): Promise<BenchData> {
  const spec = { roots: flags['real-roots'].split(','), targetBytes: Number(flags['real-mb']) * 1e6, holdEvery: Number(flags['hold-every']), workDir: flags['real-dir'] };
  const corpus = await timedAsync(() => prepareRealCorpus(spec, log));
  const kind = flags['query-kind'] as QueryKind;
  const v = await timedAsync(() => cachedRealVectors(corpus.value, { queries: Number(flags.queries), calibration: Number(flags.calibration), kind }));
  const r = v.value;
  N = r.n;
  DIM = r.dim;
  log(`real: ${r.chunks} chunks (${r.n} non-zero) of ${corpus.value.files} files, ${r.queries.length / DIM} test + ${r.calib.length / DIM} calibration queries (${kind}); corpus ${(corpus.ms / 1000).toFixed(1)} s, vectors ${(v.ms / 1000).toFixed(1)} s`);
  const about = { corpus: { ...spec, files: corpus.value.files, mb: corpus.value.bytes / 1e6, chunks: r.chunks, heldOutFiles: corpus.value.heldOut.length }, queryKind: kind, queryExamples: r.queryTexts.slice(0, 6).map((t) => t.slice(0, 160)) };
  return { base: r.base, queries: r.queries, calib: r.calib, pseudo: r.pseudo, about };
}

async function main(): Promise<void> {
  const { base, queries, calib, pseudo, about } = flags.real ? await realData() : syntheticData();
  const RAW_BYTES = N * DIM * 4;
  const rows: SweepRow[] = [];
  const { truth, calibTruth } = exactRuns(base, { queries, calib }, rows);
  log('exact done');
  const args: RunArgs = { queries, dim: DIM, truth, n: N, ...tieAwareRecall(base, queries, truth) };
  const builds: MethodBuild[] = [{ method: 'exact-wasm', buildMs: null, buildCpuMs: null, overheadBytes: 0 }];
  squeezeConfigs().forEach((config, i) => builds.push(squeezeRuns({ base, calib, calibTruth, args, ...(pseudo ? { pseudo } : {}) }, rows, config, i === 0)));
  log('squeeze done');
  builds.push(ivfRuns(base, args, rows));
  log('ivf done');
  const product = pseudo ? productRuns({ base, pseudo }, args, rows) : undefined;
  const h = await hnswRuns(base, args, rows);
  if (h) builds.push(h.build);
  const kernels = kernelTimings(DIM);
  const postings = postingTiming(DIM);
  const checks = acceptance(rows, builds, RAW_BYTES);
  const env = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadavg: os.loadavg() };
  const doc = { bench: 'index-search', data: flags.real ? 'real' : 'synthetic', n: N, dim: DIM, k: K, queries: truth.length, ...about, flags, env, kernels, postings, builds, rows, acceptance: checks };
  const json = JSON.stringify(doc, null, 2);
  if (flags['json-out']) fs.writeFileSync(flags['json-out'], json);
  console.log(json);
  const kernelLine = [
    ...kernels.map((x) => `${x.backend}: assign ${x.assignGmacs.toFixed(2)} GMAC/s, scan ${x.scanGBs.toFixed(1)} GB/s`),
    `postings: ${postings.entryNs.toFixed(2)} ns/entry = ${postings.costFloats.toFixed(1)} scanned floats`,
  ].join(' | ');
  console.log(`\n${formatTable(rows, builds, RAW_BYTES)}\n\nkernels (cpu time) — ${kernelLine}\n\n${formatAcceptance(checks)}`);
  if (product && h) {
    const paired = productVersusHnsw(product, h.index, args, rows);
    if (paired && flags['json-out']) fs.writeFileSync(flags['json-out'], JSON.stringify({ ...doc, productVersusHnsw: paired }, null, 2));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
