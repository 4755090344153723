/**
 * Everything the retrievers need about one repository, built once: chunks with hashed-encoder vectors
 * (IDF fitted on all chunks, as the index does), a BM25 index over the same chunk texts, RepoCoder
 * windows and a definition table.
 *
 * Leakage rule: the corpus holds the whole repository, and every retriever drops the target file's
 * chunks, windows and definitions from its candidates (`path !== task.file`). For ranking this is the
 * same as indexing without the file; the only difference is that the IDF tables (hashed encoder, BM25)
 * count the target file's chunks too, one file among the repository's (documented in docs/eval.md).
 */
import type { Chunk } from '../chunk/chunk.ts';
import { chunkEncodingText } from '../encode/chunkEncodingText.ts';
import { codeTokens } from '../encode/codeTokens.ts';
import { HashedEncoder } from '../encode/hashedEncoder.ts';
import { idfWeights } from '../encode/idfTable.ts';
import { Bm25Index } from './bm25.ts';
import { buildDefinitionTable, type DefinitionTable } from './definitionTable.ts';
import { slidingWindows, type CodeWindow } from './slidingWindows.ts';
import { buildUseIndex, type UseIndex } from './useSites.ts';

export interface CorpusFile {
  readonly path: string;
  readonly language: string;
  readonly text: string;
  readonly chunks: readonly Chunk[];
}

export interface EvalCorpus {
  readonly files: readonly CorpusFile[];
  readonly chunks: readonly Chunk[];
  readonly encoder: HashedEncoder;
  /** Final hashed vectors, row i = chunks[i]. */
  readonly vectors: Float32Array;
  /** Norm of each chunk's IDF-weighted vector before normalisation (a length measure). */
  readonly norms: Float32Array;
  readonly bm25: Bm25Index;
  readonly windows: readonly CodeWindow[];
  readonly definitions: DefinitionTable;
  readonly uses: UseIndex;
}

export function buildEvalCorpus(files: readonly CorpusFile[], encoder = new HashedEncoder()): EvalCorpus {
  const chunks = files.flatMap((f) => f.chunks);
  const texts = chunks.map(chunkEncodingText);
  const fitted = encoder.withIdf(encoder.fitIdf(texts));
  const vectors = fitted.termMatrix(texts);
  const norms = weightedNorms(fitted, vectors);
  return {
    files,
    chunks,
    encoder: fitted,
    vectors: fitted.weightRows(vectors),
    norms,
    bm25: new Bm25Index(texts.map((t) => codeTokens(t))),
    windows: files.flatMap((f) => slidingWindows(f.path, f.text)),
    definitions: buildDefinitionTable(chunks),
    uses: buildUseIndex(files),
  };
}

/** Norms of the IDF-weighted rows (`weightRows` before its normalisation): weighted once with unit norm, so compute directly. */
function weightedNorms(encoder: HashedEncoder, termRows: Float32Array): Float32Array {
  const d = encoder.dim;
  const w = encoder.idf ? idfWeights(encoder.idf) : undefined;
  const out = new Float32Array(termRows.length / d);
  for (let r = 0; r < out.length; r++) {
    let s = 0;
    for (let b = 0; b < d; b++) {
      const v = (termRows[r * d + b] ?? 0) * (w ? (w[b] ?? 1) : 1);
      s += v * v;
    }
    out[r] = Math.sqrt(s);
  }
  return out;
}
