/**
 * The retrievers the eval compares, all packed by the same packer into the same budget:
 * - `infile`: the file itself only — the suffix after the target line, nearest lines first;
 * - `windows`: RepoCoder sliding windows (20 lines, stride 10) ranked by identifier Jaccard;
 * - `bm25`: BM25 over our chunks;
 * - `ours`: the product's completion retrieval — the editor's query (`cursorQuery`: the lines before the cursor
 *   and the two after its line), our chunks by cosine of hashed-encoder vectors (exact top-k), reranked by the
 *   names of the query's lines, both sides of the cursor (`rerankByCursorNames`, the code
 *   `buildRetrievedContext` runs) — packed by the
 *   product's novelty packer (`packNovel`: lines already shown, comment lines and lines without a new name
 *   thinned);
 * - `bm25-fim`: BM25 with `ours`'s query instead of its own (how much of `ours`'s lead is the query's);
 * - `ours-cosine`: cosine order alone with the same packer (the ablation of the reranking);
 * - `ours+bm25`: `ours`'s reranking with a third list, BM25 over the candidates with the encoder's IDF table
 *   (measured, not adopted: docs/eval.md);
 * - `ours-whole`: `ours`'s ranking packed as whole chunks (the ablation of the novelty packer);
 * - `bm25+novel`: BM25's ranking with `ours`'s packer (is the gain the ranking's or the packing's?);
 * - `ours+defs`: a share of the budget for signatures of definitions near the cursor, the rest `ours`.
 * The baselines (`windows`, `bm25`, `bm25+novel`) query with the text before the cursor, as RepoCoder and the
 * Jaccard snippet matchers of editor assistants do (`baselineQuery`); every `ours…` retriever queries as the
 * editor does (`productQuery`). Repository retrievers never return the target file (leakage rule; see
 * evalCorpus.ts).
 */
import { cursorQuery } from '../assemble/cursorQuery.ts';
import { maxCharsForTokens } from '../chunk/estimateTokens.ts';
import type { ScoredChunk } from '../compress/compressTypes.ts';
import { codeTokens } from '../encode/codeTokens.ts';
import { hashedTermStatistics } from '../rank/hashedTermStatistics.ts';
import { rerankByCursorNames } from '../rank/rerankByCursorNames.ts';
import { dot, exactTopKSync } from '../search/exactSearch.ts';
import { topIndices } from './bm25.ts';
import type { EvalCorpus } from './evalCorpus.ts';
import { queryWindow, type EvalTask } from './evalTask.ts';
import { packPieces, type Budget, type ContextPiece, type Packed } from './packing.ts';
import { packNovelPieces } from './novelPacking.ts';
import { jaccard } from './slidingWindows.ts';
import { symbolPieces } from './symbolContext.ts';
import { usePieces } from './useSites.ts';
import { identifiersOf } from './textMetrics.ts';

/** The baselines' query: tuned on the dev set (docs/eval.md), 10 beat 5, 6, 14 and 20 (RepoCoder's) for every retriever. */
export const DEFAULT_QUERY_LINES = 10;

export const RETRIEVERS = ['infile', 'windows', 'bm25', 'bm25-fim', 'ours', 'ours-cosine', 'ours-whole', 'bm25+novel', 'ours+defs', 'ours+uses', 'ours+bm25'] as const;
export type RetrieverName = (typeof RETRIEVERS)[number];

export function isRetrieverName(s: string): s is RetrieverName {
  return (RETRIEVERS as readonly string[]).includes(s);
}

export interface RetrievalOptions {
  readonly budget: Budget;
  /** Lines of the prefix in the baselines' query (default DEFAULT_QUERY_LINES; RepoCoder uses 20). */
  readonly queryLines?: number;
  /** Share of the budget for definitions in `ours+defs` (default 0.25); unused share goes to chunks. */
  readonly defShare?: number;
  /** Lines of the suffix added to the baselines' query (default 0: prefix only, as RepoCoder). */
  readonly suffixLines?: number;
  /** Candidates ranked per task (default 64). */
  readonly candidates?: number;
  /** `ours`: score = cosine · norm^lengthBoost (pivoted length normalisation; 0 = plain cosine). */
  readonly lengthBoost?: number;
  /** `ours`: drop a candidate whose cosine with an already kept one is above this (1 = keep all). */
  readonly maxRedundancy?: number;
}

/** The baselines' query: the last `queryLines` of the prefix (+ the first `suffixLines` of the suffix). */
export function baselineQuery(task: EvalTask, o: RetrievalOptions): string {
  const before = queryWindow(task.prefix, o.queryLines ?? DEFAULT_QUERY_LINES);
  const n = o.suffixLines ?? 0;
  return n > 0 ? `${before}\n${task.suffix.split('\n').slice(0, n).join('\n')}` : before;
}

/**
 * The editor's query at the task's cursor (`cursorQuery`). The rest of the cursor's line is the hidden ground
 * truth, so the editor is taken to stand on a line typed up to the cursor with nothing after it on that line:
 * its suffix starts with the line break, then the lines after the target line.
 */
export function productQuery(task: EvalTask): string {
  return cursorQuery(task.prefix, editorSuffix(task));
}

/** The text from the cursor on, as the editor sees it at the task's cursor (see `productQuery`). */
export function editorSuffix(task: EvalTask): string {
  return `\n${task.suffix}`;
}

function chunkAt(corpus: EvalCorpus, i: number): ScoredChunk['chunk'] {
  const c = corpus.chunks[i];
  if (!c) throw new Error(`no chunk ${i}`);
  return c;
}

function chunkPiece(corpus: EvalCorpus, i: number): ContextPiece {
  return piece(chunkAt(corpus, i));
}

/** Chunks by cosine (exact top-k over the repository without the target file), best first. */
export function rankHashed(corpus: EvalCorpus, task: EvalTask, o: RetrievalOptions): ContextPiece[] {
  return scoredHashed(corpus, task, o).map((c) => piece(c.chunk));
}

/**
 * `ours`'s ranking: the cosine top-k reranked by the names near the cursor, as the editor's completion context
 * does; `withBm25`: also by BM25 over the pool with the encoder's IDF table (`ours+bm25`).
 */
export function rankOurs(corpus: EvalCorpus, task: EvalTask, o: RetrievalOptions, withBm25 = false): ContextPiece[] {
  const idf = corpus.encoder.idf;
  const bm25 = withBm25 && idf ? { query: productQuery(task), termStatistics: hashedTermStatistics(idf) } : {};
  return rerankByCursorNames(scoredHashed(corpus, task, o), task.prefix, { after: editorSuffix(task), ...bm25 }).map((c) => piece(c.chunk));
}

function piece(c: ScoredChunk['chunk']): ContextPiece {
  return { path: c.path, startLine: c.startLine, endLine: c.endLine, text: c.text };
}

function scoredHashed(corpus: EvalCorpus, task: EvalTask, o: RetrievalOptions): ScoredChunk[] {
  const q = corpus.encoder.encodeMatrix([productQuery(task)]);
  const keep = (row: number): boolean => corpus.chunks[row]?.path !== task.file;
  const k = o.candidates ?? 64;
  const boost = o.lengthBoost ?? 0;
  const top = exactTopKSync(corpus.vectors, q, { k: boost > 0 ? k * 4 : k, dim: corpus.encoder.dim, filter: keep }).filter((t) => t.score > 0);
  const scored = boost > 0 ? top.map((t) => ({ index: t.index, score: t.score * (corpus.norms[t.index] ?? 1) ** boost })).sort((a, b) => b.score - a.score) : top;
  const kept = new Set(dropRedundant(corpus, scored.slice(0, k).map((t) => t.index), o.maxRedundancy ?? 1));
  return scored.slice(0, k).filter((t) => kept.has(t.index)).map((t) => ({ chunk: chunkAt(corpus, t.index), score: t.score }));
}

function dropRedundant(corpus: EvalCorpus, rows: readonly number[], limit: number): number[] {
  if (limit >= 1) return [...rows];
  const d = corpus.encoder.dim;
  const kept: number[] = [];
  for (const r of rows) {
    if (kept.every((k) => dot(corpus.vectors, r * d, corpus.vectors.subarray(k * d, (k + 1) * d), d) <= limit)) kept.push(r);
  }
  return kept;
}

/** BM25 over the chunks for `query` (default: the baselines' query). */
export function rankBm25(corpus: EvalCorpus, task: EvalTask, o: RetrievalOptions, query = baselineQuery(task, o)): ContextPiece[] {
  const scores = corpus.bm25.scores(codeTokens(query));
  const keep = (row: number): boolean => corpus.chunks[row]?.path !== task.file;
  return topIndices(scores, o.candidates ?? 64, keep).map((i) => chunkPiece(corpus, i));
}

export function rankWindows(corpus: EvalCorpus, task: EvalTask, o: RetrievalOptions): ContextPiece[] {
  const q = new Set(identifiersOf(baselineQuery(task, o)));
  const scores = corpus.windows.map((w) => (w.path === task.file ? 0 : jaccard(q, w.ids)));
  return topIndices(scores, o.candidates ?? 64).map((i) => corpus.windows[i]).filter((w) => w !== undefined);
}

/** The suffix after the target line, as one piece cut to the budget at a line boundary. */
export function inFilePieces(task: EvalTask, budget: Budget): ContextPiece[] {
  const lines = task.suffix.split('\n');
  const limit = budget.unit === 'chars' ? budget.size : maxCharsForTokens(budget.size);
  let end = 0;
  let size = 0;
  while (end < lines.length && size + (lines[end]?.length ?? 0) + 1 <= limit - 80) size += (lines[end++]?.length ?? 0) + 1;
  return end === 0 ? [] : [{ path: task.file, startLine: task.line + 1, endLine: task.line + end, text: lines.slice(0, end).join('\n') }];
}

/** `ours` after a first band: the novelty packer over `ours`'s ranking, in what the band left, knowing the band's text. */
function oursAfter(corpus: EvalCorpus, task: EvalTask, o: RetrievalOptions, band: Packed): Packed[] {
  const rest = packNovelPieces(rankOurs(corpus, task, o), task.prefix, task.language, o.budget, o.budget.size - band.used, band.texts.join(''));
  return [band, rest];
}

/** The packed context of one retriever for one task (best first within each band). */
export function buildContext(corpus: EvalCorpus, task: EvalTask, name: RetrieverName, o: RetrievalOptions): Packed[] {
  const lang = task.language;
  const share = Math.floor(o.budget.size * (o.defShare ?? 0.25));
  switch (name) {
    case 'infile':
      return [packPieces(inFilePieces(task, o.budget), o.budget, lang)];
    case 'windows':
      return [packPieces(rankWindows(corpus, task, o), o.budget, lang)];
    case 'bm25':
      return [packPieces(rankBm25(corpus, task, o), o.budget, lang)];
    case 'bm25-fim':
      return [packPieces(rankBm25(corpus, task, o, productQuery(task)), o.budget, lang)];
    case 'ours':
      return [packNovelPieces(rankOurs(corpus, task, o), task.prefix, lang, o.budget)];
    case 'ours-cosine':
      return [packNovelPieces(rankHashed(corpus, task, o), task.prefix, lang, o.budget)];
    case 'ours-whole':
      return [packPieces(rankOurs(corpus, task, o), o.budget, lang)];
    case 'bm25+novel':
      return [packNovelPieces(rankBm25(corpus, task, o), task.prefix, lang, o.budget)];
    case 'ours+defs':
      return oursAfter(corpus, task, o, packPieces(symbolPieces(corpus.definitions, task), o.budget, lang, share));
    case 'ours+uses':
      return oursAfter(corpus, task, o, packPieces(usePieces(corpus.uses, task), o.budget, lang, share));
    case 'ours+bm25':
      return [packNovelPieces(rankOurs(corpus, task, o, true), task.prefix, lang, o.budget)];
  }
}
