// Micro-benchmark of the two dot kernels (WASM SIMD vs plain JS) on the shapes the index uses:
// k-means assignment (4 points × 256 centroids per call, centroids cache-resident: compute-bound) and
// a member scan (one query over 64 MiB of rows, more than the last-level cache: memory-bound).
import { RowMatrix, interleaveBlocks } from '../../../src/common/index/rowMatrix.ts';
import { Prng } from '../../../src/common/index/prng.ts';
import type { KernelBackend } from '../../../src/common/index/dotKernel.ts';
import { SparsePostings } from '../../../src/common/index/sparsePostings.ts';

export interface KernelTiming {
  readonly backend: KernelBackend;
  /** Multiply-adds per second of the batched assignment kernel (dot4), in 1e9. */
  readonly assignGmacs: number;
  /** Row bytes per second of the single-query scan (dot1), in 1e9. */
  readonly scanGBs: number;
}

function cpuSeconds(run: () => void): number {
  const c0 = process.cpuUsage();
  run();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

export function kernelTimings(dim: number, budgetScale = 1): KernelTiming[] {
  const rng = new Prng(5);
  const k = 256;
  const rowsN = Math.floor((64 << 20) / (dim * 4));
  const data = Float32Array.from({ length: rowsN * dim }, () => rng.next() - 0.5);
  const blocks = interleaveBlocks(data, dim, 4096);
  return (['wasm', 'js'] as const).map((backend) => {
    const cents = new RowMatrix(dim, k, backend);
    cents.append(data, 0, k);
    const sims = new Float32Array(4 * k);
    const calls = Math.round((backend === 'wasm' ? 2048 : 256) * budgetScale);
    const a = cpuSeconds(() => {
      for (let b = 0; b < calls; b++) {
        cents.setQueryBlock(blocks, (b % 1024) * 4 * cents.stride);
        cents.score4(0, k, sims);
      }
    });
    const rows = new RowMatrix(dim, rowsN, backend);
    rows.append(data, 0, rowsN);
    rows.setQuery(data);
    const out = new Float32Array(rowsN);
    const reps = backend === 'wasm' ? 20 : 4;
    rows.score(0, rowsN, out);
    const s = cpuSeconds(() => {
      for (let r = 0; r < reps; r++) rows.score(0, rowsN, out);
    });
    return { backend, assignGmacs: (calls * 4 * k * dim) / a / 1e9, scanGBs: (reps * rowsN * dim * 4) / s / 1e9 };
  });
}

export interface PostingTiming {
  /** CPU nanoseconds per posting entry of SparsePostings.score (scatter-add into a score per row). */
  readonly entryNs: number;
  /** CPU nanoseconds per float of the WASM SIMD scan, measured alongside. */
  readonly scanFloatNs: number;
  /** entryNs / scanFloatNs: what postingSearch.ts's POSTING_COST_FLOATS stands for. */
  readonly costFloats: number;
}

/** Posting-list scoring against the dense scan on sparse random rows (4% of `dim` set, 64 MiB dense). */
export function postingTiming(dim: number): PostingTiming {
  const rng = new Prng(6);
  const rowsN = Math.floor((64 << 20) / (dim * 4));
  const rows = new RowMatrix(dim, rowsN, 'wasm');
  const row = new Float32Array(dim);
  for (let r = 0; r < rowsN; r++) {
    row.fill(0);
    for (let j = 0; j < Math.max(1, Math.round(dim * 0.04)); j++) row[Math.floor(rng.next() * dim)] = rng.next() - 0.5;
    rows.append(row);
  }
  const postings = SparsePostings.build(rows);
  const q = Float32Array.from({ length: dim }, () => rng.next() - 0.5);
  const acc = new Float32Array(rowsN);
  const out = new Float32Array(rowsN);
  rows.setQuery(q);
  postings.score(q, acc);
  rows.score(0, rowsN, out);
  const reps = 20;
  const p = cpuSeconds(() => {
    for (let r = 0; r < reps; r++) postings.score(q, acc);
  });
  const s = cpuSeconds(() => {
    for (let r = 0; r < reps; r++) rows.score(0, rowsN, out);
  });
  const entryNs = (p * 1e9) / (reps * postings.entries);
  const scanFloatNs = (s * 1e9) / (reps * rowsN * rows.stride);
  return { entryNs, scanFloatNs, costFloats: entryNs / scanFloatNs };
}
