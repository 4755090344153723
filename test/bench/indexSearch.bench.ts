// bench:index-search — the squeezed-attention ClusterIndex against exact search, a fixed-nprobe IVF and
// hnswlib-node, all in one run, one query at a time on the main thread (issue 11, "Acceptance").
//
//   node --import tsx test/bench/indexSearch.bench.ts [--n 100000] [--queries 1000] [--centers 2000]
//        [--quantiles 0.5,0.7,…] [--targets 0.9,0.95,0.98] [--nprobe 1,2,…] [--ef 10,16,…]
//        [--fine-fraction 0.02] [--coarse-fraction 0.025] [--temperature 0.05] [--nlist √n]
//        [--no-hnsw] [--hnsw-file path [--reuse]] [--json-out path]
//
// Data: test/bench/lib/syntheticVectors.ts (seeded mixture of gaussian blobs on the sphere; base,
// test queries and calibration queries are separate streams, so no query is a base vector).
// Prints one JSON document, then the tables.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ClusterIndex } from '../../src/common/index/clusterIndex.ts';
import { RowMatrix } from '../../src/common/index/rowMatrix.ts';
import { TopKHeap } from '../../src/common/search/topKHeap.ts';
import { DEFAULT_MIXTURE, makeMixture, samplePoints } from './lib/syntheticVectors.ts';
import { IvfFlat } from './lib/ivfFlat.ts';
import { buildHnsw, hnswSearch, loadHnsw } from './lib/hnswBaseline.ts';
import { runQueries, timed, type RunArgs } from './lib/benchStats.ts';
import { kernelTimings } from './lib/kernelBench.ts';
import { acceptance, formatAcceptance, formatTable, type MethodBuild, type SweepRow } from './lib/benchReport.ts';

const list = (s: string): number[] => s.split(',').map(Number);
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
  },
});
const N = Number(flags.n);
const K = Number(flags.k);
const DIM = DEFAULT_MIXTURE.dim;
const RAW_BYTES = N * DIM * 4;
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

/** Exact top-k of the test and calibration queries, and the exact-search timings (WASM and plain JS). */
function exactRuns(base: Float32Array, sets: { queries: Float32Array; calib: Float32Array }, rows: SweepRow[]): { truth: number[][]; calibTruth: number[][] } {
  const scratch = new Float32Array(65536);
  const wasm = new RowMatrix(DIM, N, 'wasm');
  wasm.append(base, 0, N);
  const topOf = (qs: Float32Array): number[][] =>
    Array.from({ length: qs.length / DIM }, (_, i) => exactTopK(wasm, qs.subarray(i * DIM, (i + 1) * DIM), scratch).ids);
  const queries = sets.queries;
  const truth = topOf(queries);
  const args: RunArgs = { queries, dim: DIM, truth, n: N, warmup: 5 };
  rows.push({ method: 'exact-wasm', setting: 'simd dot1', ...runQueries(args, (q) => exactTopK(wasm, q, scratch)) });
  const js = new RowMatrix(DIM, N, 'js');
  js.append(base, 0, N);
  const few = { ...args, truth: truth.slice(0, Number(flags['js-queries'])), warmup: 2 };
  rows.push({ method: 'exact-js', setting: 'scalar loop', ...runQueries(few, (q) => exactTopK(js, q, scratch)) });
  return { truth, calibTruth: topOf(sets.calib) };
}

function squeezeRuns(data: { base: Float32Array; calib: Float32Array; calibTruth: number[][]; args: RunArgs }, rows: SweepRow[]): MethodBuild {
  const options = { fineFraction: Number(flags['fine-fraction']), coarseFraction: Number(flags['coarse-fraction']), temperature: Number(flags.temperature) };
  const built = timed(() => ClusterIndex.build({ data: data.base, dim: DIM }, undefined, options));
  const index = built.value;
  const h = index.health();
  log(`squeeze: ${h.coarseClusters} coarse, ${h.fineClusters} fine clusters, built in ${(built.ms / 1000).toFixed(1)} s`);
  const calib = { data: data.calib, dim: DIM };
  const run = (setting: string): SweepRow => {
    const r = runQueries(data.args, (q) => {
      const { hits, explain } = index.search(q, K);
      return { ids: hits.map((x) => x.id), scored: explain.vectorsScored, centroids: explain.centroidsScored };
    });
    return { method: 'squeeze', setting, ...r };
  };
  for (const p of list(flags.quantiles)) {
    index.calibrate(calib, p);
    rows.push(run(`quantile ${p}`));
  }
  for (const target of list(flags.targets)) {
    const c = timed(() => index.calibrateForRecall(calib, target, { k: K, truth: data.calibTruth }));
    const p = `${c.value.quantile.toFixed(4)}/${c.value.fineQuantile.toFixed(4)}`;
    log(`squeeze: target ${target} -> quantiles ${p} (calibration recall ${c.value.recall.toFixed(4)}, ${(c.ms / 1000).toFixed(1)} s)`);
    rows.push(run(`target ${target} (p=${p})`));
  }
  return { method: 'squeeze', buildMs: built.ms, buildCpuMs: built.cpuMs, overheadBytes: index.memory().overheadBytes };
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

async function hnswRuns(base: Float32Array, args: RunArgs, rows: SweepRow[]): Promise<MethodBuild | undefined> {
  const Ctor = flags['no-hnsw'] ? undefined : await loadHnsw();
  if (!Ctor) {
    log('hnswlib-node not loaded: skipping that baseline');
    return undefined;
  }
  const b = buildHnsw(Ctor, { data: base, dim: DIM, m: 16, efConstruction: 200, file: flags['hnsw-file'], reuse: flags.reuse });
  log(`hnsw: ${b.buildMs === null ? 'reloaded' : `built in ${(b.buildMs / 1000).toFixed(1)} s`}`);
  for (const ef of list(flags.ef)) {
    b.index.setEf(ef);
    rows.push({ method: 'hnsw', setting: `M 16 efC 200 ef ${ef}`, ...runQueries(args, (q) => ({ ids: hnswSearch(b.index, q, K), scored: null })) });
  }
  return { method: 'hnsw', buildMs: b.buildMs, buildCpuMs: b.buildCpuMs, overheadBytes: b.overheadBytes };
}

async function main(): Promise<void> {
  const spec = { ...DEFAULT_MIXTURE, centers: Number(flags.centers) };
  const gen = timed(() => {
    const m = makeMixture(spec);
    return { base: samplePoints(m, N, 'base'), queries: samplePoints(m, Number(flags.queries), 'query'), calib: samplePoints(m, Number(flags.calibration), 'calibration') };
  });
  log(`generated ${N} base + ${flags.queries} query + ${flags.calibration} calibration vectors in ${(gen.ms / 1000).toFixed(1)} s`);
  const { base, queries, calib } = gen.value;
  const rows: SweepRow[] = [];
  const { truth, calibTruth } = exactRuns(base, { queries, calib }, rows);
  log('exact done');
  const args: RunArgs = { queries, dim: DIM, truth, n: N };
  const builds: MethodBuild[] = [{ method: 'exact-wasm', buildMs: null, buildCpuMs: null, overheadBytes: 0 }];
  builds.push(squeezeRuns({ base, calib, calibTruth, args }, rows));
  log('squeeze done');
  builds.push(ivfRuns(base, args, rows));
  log('ivf done');
  const h = await hnswRuns(base, args, rows);
  if (h) builds.push(h);
  const kernels = kernelTimings(DIM);
  const checks = acceptance(rows, builds, RAW_BYTES);
  const env = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadavg: os.loadavg() };
  const doc = { bench: 'index-search', n: N, dim: DIM, k: K, queries: truth.length, mixture: spec, flags, env, kernels, builds, rows, acceptance: checks };
  const json = JSON.stringify(doc, null, 2);
  if (flags['json-out']) fs.writeFileSync(flags['json-out'], json);
  console.log(json);
  const kernelLine = kernels.map((x) => `${x.backend}: assign ${x.assignGmacs.toFixed(2)} GMAC/s, scan ${x.scanGBs.toFixed(1)} GB/s`).join(' | ');
  console.log(`\n${formatTable(rows, builds, RAW_BYTES)}\n\nkernels (cpu time) — ${kernelLine}\n\n${formatAcceptance(checks)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
