/**
 * `context.bench.cjs --attention`: the attention-space estimate against exact attention on the probe models
 * (scripts/models/buildAttentionProbe.py: the tiny decoder and the same-shape bench models with `queries.N`
 * outputs). Prompts are real completion prompts: a small generated workspace is indexed, an editing session
 * runs in one file, and the context engine assembles each prompt (budget 4096 tokens, a quarter for the cursor
 * window, the rest retrieved chunks: the main configuration of the prefill comparison); a second
 * kind appends a copy of one retrieved chunk at the cursor (copied code, where trained models attend most
 * sharply). Per layer: the keys before the query window clustered per KV head (5%), the queries of the last
 * 16 prompt tokens scored against the centroids and the kept clusters' keys exactly (attentionSpace.ts); at
 * most 20% of the keys scored. Beside it: without the spread term; with a budget of 20% of the chunk keys
 * only; and a softmax over the chunk keys only with every chunk key scored (lib/chunkSoftmaxMass.ts). The
 * layers where S holds every chunk are counted.
 * "Found": E = the chunks holding the top 90% of exact mass, S = the chunks holding the top 90% of estimated
 * mass (the estimate's own selection at the same threshold). A layer passes strictly when E ⊆ S, by mass when
 * S holds >= 90% of the exact mass; |S| / |E| is reported so that selecting everything cannot pass unseen,
 * and so is the recall of the estimate's top-|E| chunks (same-size recall). A size-only ranking (mass ∝
 * tokens) is reported beside it: random-weight models attend almost uniformly, so the `-sharp-probe` models
 * (Q/K projections scaled, buildAttentionProbe.py sharp) are measured too. `--dump DIR` writes the captures.
 * usage: node dist/bench/context.bench.cjs --attention [--models DIR,DIR] [--prompts 3] [--files 300] [--dump DIR]
 */
import fs from 'node:fs';
import path from 'node:path';
import { estimateChunkMass, type ChunkMassEstimate } from '../../../src/common/context/attentionSpace.ts';
import type { LayerAttention } from '../../../src/common/context/attentionTypes.ts';
import { massCoverage, topMassSet } from '../../../src/common/context/chunkMassSets.ts';
import { exactChunkMass } from '../../../src/common/context/exactAttention.ts';
import { clusterKeys } from '../../../src/common/context/keyClusters.ts';
import { sequentialPositions } from '../../../src/common/generate/prefixMatch.ts';
import type { TokenSegment } from '../../../src/common/positions/positionTypes.ts';
import { captureAttention, type ProbePrompt } from '../../../src/node/context/attentionProbe.ts';
import { cursorContextOfText } from '../../../src/node/context/cursorContext.ts';
import type { DecoderSession } from '../../../src/node/generate/decoderSession.ts';
import { OnnxDecoder } from '../../../src/node/generate/onnxDecoder.ts';
import { indexRepository } from '../../../src/node/indexer/repositoryIndexer.ts';
import { openSearchIndex, type SearchIndex } from '../../../src/node/indexer/searchIndex.ts';
import { generateContextWorkspace, type WorkspaceFile } from './contextWorkspace.ts';
import { dumpLayers } from './attentionDump.ts';
import { chunkSoftmaxMass } from './chunkSoftmaxMass.ts';
import { editSession } from './editSession.ts';

const SHARE = 0.9;
const MAX_SCORED = 0.2;
const QUERY_TOKENS = 16;

function option(argv: readonly string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
}

/** A probe prompt from positioned segments: chunk index per token; `copy` appends chunk `copy`'s tokens. */
function probePrompt(segments: readonly TokenSegment[], copy: number | undefined): ProbePrompt {
  const ids: number[] = [];
  const chunkOf: number[] = [];
  let chunks = 0;
  const chunkIds: number[][] = [];
  for (const s of segments) {
    const c = s.kind === 'chunk' ? chunks++ : -1;
    if (c >= 0) chunkIds.push([...s.ids]);
    ids.push(...s.ids);
    chunkOf.push(...s.ids.map(() => c));
  }
  if (copy !== undefined && chunkIds[copy]) {
    ids.push(...chunkIds[copy]!);
    chunkOf.push(...chunkIds[copy]!.map(() => -1));
  }
  return { ids, positions: sequentialPositions(ids.length), chunkOf: Int32Array.from(chunkOf), chunks, queryCount: QUERY_TOKENS };
}

interface Variant {
  readonly passed: boolean;
  readonly massPassed: boolean;
  readonly massCovered: number;
  readonly setRatio: number;
  readonly scored: number;
  /** The set holds every chunk. */
  readonly all: boolean;
}

/** One estimator setting against exact attention: strict (E ⊆ S) and by-mass pass, with |S| / |E|. */
function variant(exact: Float64Array, est: ChunkMassEstimate, limit: number): Variant {
  const cov = massCoverage(exact, est.mass, SHARE);
  const massPassed = cov.massCovered >= SHARE && est.scoredFraction <= limit;
  return { passed: massPassed && cov.recall === 1, massPassed, massCovered: cov.massCovered, setRatio: cov.estimateSet.length / Math.max(1, cov.exactSet.length), scored: est.scoredFraction, all: cov.estimateSet.length === exact.length };
}

function layerRow(layer: LayerAttention) {
  const exact = exactChunkMass(layer);
  const clusters = clusterKeys(layer, { fraction: 0.05, seed: 1 });
  const est = estimateChunkMass(layer, clusters, { maxScoredFraction: MAX_SCORED });
  const cov = massCoverage(exact, est.mass, SHARE);
  const sizes = Array.from({ length: layer.chunks }, (_, c) => layer.chunkOf.filter((x) => x === c).length);
  const keys = sizes.reduce((a, b) => a + b, 0);
  // Ablations: no spread term; a budget of 20% of the chunk keys only (the context also holds the window's keys).
  const noSpread = variant(exact, estimateChunkMass(layer, clusters, { maxScoredFraction: MAX_SCORED, spreadCorrection: false }), MAX_SCORED);
  const chunkShare = (MAX_SCORED * keys) / Math.max(1, layer.length - layer.queryCount);
  const chunkBudget = variant(exact, estimateChunkMass(layer, clusters, { maxScoredFraction: chunkShare }), chunkShare);
  // The partition over chunk keys only (as before), every chunk key scored: no estimation error left.
  const chunkSoftmax = variant(exact, { mass: chunkSoftmaxMass(layer), scoredFraction: keys / layer.length, centroidFraction: 0 }, 1);
  const bySize = massCoverage(exact, sizes, SHARE);
  const total = exact.reduce((a, b) => a + b, 0);
  const concentration = Math.max(...Array.from(exact, (m, c) => (m / total) / (sizes[c]! / keys)));
  const main = variant(exact, est, MAX_SCORED);
  const sameSize = new Set(topMassSet(est.mass, 1).slice(0, cov.exactSet.length));
  const sameSizeRecall = cov.exactSet.length > 0 ? cov.exactSet.filter((c) => sameSize.has(c)).length / cov.exactSet.length : 1;
  return { exactSet: cov.exactSet.length, estimateSet: cov.estimateSet.length, sameSizeRecall, noSpread, chunkBudget, chunkSoftmax,
    recall: cov.recall, massCovered: cov.massCovered, scored: est.scoredFraction, sizeRecall: bySize.recall, sizeMassCovered: bySize.massCovered, concentration, passed: main.passed, massPassed: main.massPassed, allChunks: main.all };
}

type LayerRow = ReturnType<typeof layerRow>;

function ablation(v: readonly Variant[]) {
  const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
  return { passed: v.filter((x) => x.passed).length, allChunks: v.filter((x) => x.all).length, massPassed: v.filter((x) => x.massPassed).length, minMassCovered: r4(Math.min(...v.map((x) => x.massCovered))), maxSetRatio: r4(Math.max(...v.map((x) => x.setRatio))), maxScored: r4(Math.max(...v.map((x) => x.scored))) };
}

function promptSummary(kind: string, p: ProbePrompt, rows: readonly LayerRow[]) {
  const min = (f: (r: LayerRow) => number): number => Math.min(...rows.map(f));
  const max = (f: (r: LayerRow) => number): number => Math.max(...rows.map(f));
  const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
  return {
    kind, tokens: p.ids.length, chunks: p.chunks, chunkKeys: p.chunkOf.filter((c) => c >= 0).length, layers: rows.length,
    layersPassed: rows.filter((r) => r.passed).length, layersMassPassed: rows.filter((r) => r.massPassed).length, minRecall: r4(min((r) => r.recall)), minMassCovered: r4(min((r) => r.massCovered)),
    maxScored: r4(max((r) => r.scored)), layersAllChunks: rows.filter((r) => r.allChunks).length, meanExactSet: r4(rows.reduce((s, r) => s + r.exactSet, 0) / rows.length),
    meanEstimateSet: r4(rows.reduce((s, r) => s + r.estimateSet, 0) / rows.length), maxSetRatio: r4(max((r) => r.estimateSet / Math.max(1, r.exactSet))),
    minSameSizeRecall: r4(min((r) => r.sameSizeRecall)),
    noSpread: ablation(rows.map((r) => r.noSpread)), chunkBudget: ablation(rows.map((r) => r.chunkBudget)), chunkSoftmax: ablation(rows.map((r) => r.chunkSoftmax)),
    sizeOnlyMinMassCovered: r4(min((r) => r.sizeMassCovered)), sizeOnlyLayersPassed: rows.filter((r) => r.sizeRecall === 1 && r.sizeMassCovered >= SHARE).length,
    maxConcentration: r4(max((r) => r.concentration)),
  };
}

async function prompts(index: SearchIndex, file: WorkspaceFile, decoder: OnnxDecoder, count: number): Promise<{ kind: string; prompt: ProbePrompt }[]> {
  const out: { kind: string; prompt: ProbePrompt }[] = [];
  for (const req of editSession(file.text, count, 5)) {
    const ctx = await cursorContextOfText(file.rel, req.text, {
      line: req.line + 1, column: req.character + 1, budget: 4096, windowShare: 0.25, contextLength: decoder.folder.config.contextLength, k: 32,
      search: (q, k) => index.search(q, k), policy: 'sequential', tokenizer: decoder.folder.tokenizer, ...(decoder.folder.fim ? { fim: decoder.folder.fim.style } : {}),
    });
    const chunks = ctx.tokens.filter((s) => s.kind === 'chunk').length;
    out.push({ kind: 'completion', prompt: probePrompt(ctx.tokens, undefined) });
    if (chunks > 0) out.push({ kind: 'copied chunk at cursor', prompt: probePrompt(ctx.tokens, chunks - 1) });
  }
  return out;
}

async function modelRows(dir: string, index: SearchIndex, file: WorkspaceFile, count: number, dump: string | undefined) {
  const decoder = await OnnxDecoder.load(dir, { provider: 'cpu' });
  try {
    const rows = [];
    for (const { kind, prompt } of await prompts(index, file, decoder, count)) {
      const t0 = performance.now();
      const capture = await captureAttention(decoder.model as DecoderSession, decoder.folder.config, prompt);
      if (dump) dumpLayers(dump, `${path.basename(dir)}.${rows.length}`, capture.layers);
      const layers = capture.layers.map(layerRow);
      rows.push({ ...promptSummary(kind, prompt, layers), queriesFrom: capture.queriesFrom, ms: Math.round(performance.now() - t0) });
      console.error(`${path.basename(dir)}: ${JSON.stringify(rows.at(-1))}`);
    }
    return { model: path.basename(dir), precision: decoder.folder.precision, rows };
  } finally {
    await decoder.dispose();
  }
}

function cells(v: ReturnType<typeof ablation>, layers: number): string {
  return `${v.passed}/${layers}, ${v.massPassed}/${layers}, ${v.minMassCovered}, ${v.maxSetRatio}`;
}

function table(results: Awaited<ReturnType<typeof modelRows>>[]): string {
  const head = ['model', 'prompt', 'tokens / chunks', 'layers passed (all exact top-90% chunks found)', 'layers whose found chunks hold >= 90% of exact mass', 'min recall', 'min mass covered', 'mean |S| / mean |E| (max ratio), layers with S = every chunk', 'min same-size recall', 'max scored', 'size-only: layers passed, min covered', 'no spread term: strict, by mass, min covered, max |S|/|E|', 'budget 20% of chunk keys: strict, by mass, min covered, max |S|/|E|, max scored (of all keys)', 'softmax over chunk keys only, all scored: strict, by mass, min covered', 'max mass/size'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const m of results) {
    for (const r of m.rows) {
      lines.push(`| ${m.model} (${m.precision}) | ${r.kind} | ${r.tokens} / ${r.chunks} | ${r.layersPassed}/${r.layers} | ${r.layersMassPassed}/${r.layers} | ${r.minRecall} | ${r.minMassCovered} | ${r.meanEstimateSet} / ${r.meanExactSet} (${r.maxSetRatio}), ${r.layersAllChunks} | ${r.minSameSizeRecall} | ${r.maxScored} | ${r.sizeOnlyLayersPassed}/${r.layers}, ${r.sizeOnlyMinMassCovered} | ${cells(r.noSpread, r.layers)} | ${cells(r.chunkBudget, r.layers)}, ${r.chunkBudget.maxScored} | ${r.chunkSoftmax.passed}/${r.layers}, ${r.chunkSoftmax.massPassed}/${r.layers}, ${r.chunkSoftmax.minMassCovered} | ${r.maxConcentration} |`);
    }
  }
  return lines.join('\n');
}

export async function runAttentionBench(argv: readonly string[]): Promise<void> {
  const plain = ['test/models/tiny-decoder-probe', '.models/smollm2-135m-shape-probe', '.models/qwen2.5-coder-0.5b-shape-probe'];
  const defaults = [...plain, ...['tiny-decoder', 'smollm2-135m-shape', 'qwen2.5-coder-0.5b-shape'].map((m) => `.models/${m}-sharp-probe`)];
  const dirs = option(argv, 'models', defaults.join(',')).split(',').filter((d) => fs.existsSync(path.join(d, 'config.json')));
  const ws = generateContextWorkspace(Number(option(argv, 'files', '300')), 7);
  const indexDir = `${ws.root}-index`;
  try {
    await indexRepository(ws.root, { indexDir });
    const index = await openSearchIndex(ws.root, { indexDir });
    const file = ws.files.find((f) => f.languageId === 'typescript' && f.text.split('\n').length >= 150) ?? ws.files[0]!;
    const results = [];
    for (const dir of dirs) results.push(await modelRows(path.resolve(dir), index, file, Number(option(argv, 'prompts', '3')), option(argv, 'dump', '') || undefined));
    const all = results.flatMap((m) => m.rows);
    const count = (f: (r: (typeof all)[number]) => number): number => all.reduce((s, r) => s + f(r), 0);
    const layers = { total: count((r) => r.layers), passed: count((r) => r.layersPassed), massPassed: count((r) => r.layersMassPassed), sizeOnlyPassed: count((r) => r.sizeOnlyLayersPassed) };
    const summary = { bench: 'context-attention', share: SHARE, maxScored: MAX_SCORED, queryTokens: QUERY_TOKENS, file: file.rel, results, layers, passed: layers.passed === layers.total };
    console.log(JSON.stringify(summary));
    console.log(table(results));
    for (const m of results) {
      const sum = (f: (r: (typeof all)[number]) => number): number => m.rows.reduce((s, r) => s + f(r), 0);
      console.log(`${m.model}: strict ${sum((r) => r.layersPassed)}/${sum((r) => r.layers)}, by mass ${sum((r) => r.layersMassPassed)}/${sum((r) => r.layers)}, size-only ${sum((r) => r.sizeOnlyLayersPassed)}/${sum((r) => r.layers)}; `
        + `no spread term: strict ${sum((r) => r.noSpread.passed)}/${sum((r) => r.layers)}, by mass ${sum((r) => r.noSpread.massPassed)}/${sum((r) => r.layers)}; `
        + `budget 20% of chunk keys: strict ${sum((r) => r.chunkBudget.passed)}/${sum((r) => r.layers)}, by mass ${sum((r) => r.chunkBudget.massPassed)}/${sum((r) => r.layers)}; `
        + `softmax over chunk keys only: strict ${sum((r) => r.chunkSoftmax.passed)}/${sum((r) => r.layers)}, by mass ${sum((r) => r.chunkSoftmax.massPassed)}/${sum((r) => r.layers)}`);
    }
    console.log(`layer checks: ${layers.passed}/${layers.total} find every exact top-90% chunk, ${layers.massPassed}/${layers.total} find chunks holding >= 90% of exact mass (size-only ranking: ${layers.sizeOnlyPassed}/${layers.total}), scoring <= ${MAX_SCORED} of keys`);
  } finally {
    fs.rmSync(ws.root, { recursive: true, force: true });
    fs.rmSync(indexDir, { recursive: true, force: true });
  }
}
