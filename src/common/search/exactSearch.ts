/**
 * Exact top-k by dot product over a contiguous row-major Float32Array matrix (row i = vector i).
 * With L2-normalised rows and query this is cosine similarity. The async form scores in blocks and
 * yields between them, so a cancellation token can stop a scan over a large matrix.
 */
import type { CancellationToken } from '../cancellation.ts';
import { throwIfCancelled } from '../cancellation.ts';
import { TopKHeap, type ScoredIndex } from './topKHeap.ts';

export type { ScoredIndex } from './topKHeap.ts';

export interface ExactSearchOptions {
  readonly k: number;
  /** Row width; defaults to `query.length`. */
  readonly dim?: number;
  readonly token?: CancellationToken;
  /** Rows scored between cancellation checks (and, in `exactTopK`, yields). Default 16384. */
  readonly blockRows?: number;
  /** Rows for which this returns false are skipped. */
  readonly filter?: (row: number) => boolean;
}

export function dot(matrix: Float32Array, offset: number, query: Float32Array, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    s0 += (matrix[offset + j] ?? 0) * (query[j] ?? 0);
    s1 += (matrix[offset + j + 1] ?? 0) * (query[j + 1] ?? 0);
    s2 += (matrix[offset + j + 2] ?? 0) * (query[j + 2] ?? 0);
    s3 += (matrix[offset + j + 3] ?? 0) * (query[j + 3] ?? 0);
  }
  for (; j < dim; j++) s0 += (matrix[offset + j] ?? 0) * (query[j] ?? 0);
  return s0 + s1 + s2 + s3;
}

interface Scan {
  readonly matrix: Float32Array;
  readonly query: Float32Array;
  readonly dim: number;
  readonly rows: number;
  readonly heap: TopKHeap;
  readonly filter: ((row: number) => boolean) | undefined;
}

function openScan(matrix: Float32Array, query: Float32Array, options: ExactSearchOptions): Scan {
  const dim = options.dim ?? query.length;
  if (dim <= 0 || query.length < dim) throw new Error(`Query has ${query.length} values, rows have ${dim}`);
  if (matrix.length % dim !== 0) throw new Error(`Matrix length ${matrix.length} is not a multiple of ${dim}`);
  return { matrix, query, dim, rows: matrix.length / dim, heap: new TopKHeap(options.k), filter: options.filter };
}

function scoreRows(scan: Scan, from: number, to: number): void {
  for (let r = from; r < to; r++) {
    if (scan.filter && !scan.filter(r)) continue;
    scan.heap.push(r, dot(scan.matrix, r * scan.dim, scan.query, scan.dim));
  }
}

/** Synchronous: checks the token between blocks (useful in a worker, where a flag is set by a message). */
export function exactTopKSync(matrix: Float32Array, query: Float32Array, options: ExactSearchOptions): ScoredIndex[] {
  const scan = openScan(matrix, query, options);
  const block = Math.max(1, options.blockRows ?? 16384);
  for (let from = 0; from < scan.rows; from += block) {
    throwIfCancelled(options.token);
    scoreRows(scan, from, Math.min(scan.rows, from + block));
  }
  return scan.heap.sorted();
}

/** Asynchronous: yields to the event loop between blocks, then re-checks the token. */
export async function exactTopK(matrix: Float32Array, query: Float32Array, options: ExactSearchOptions): Promise<ScoredIndex[]> {
  const scan = openScan(matrix, query, options);
  const block = Math.max(1, options.blockRows ?? 16384);
  for (let from = 0; from < scan.rows; from += block) {
    if (from > 0) await new Promise<void>((resolve) => setTimeout(resolve, 0));
    throwIfCancelled(options.token);
    scoreRows(scan, from, Math.min(scan.rows, from + block));
  }
  return scan.heap.sorted();
}
