// hnswlib-node baseline (devDependency, benchmark only), loaded with a dynamic import so the benchmark
// still runs (without this baseline) where it is not installed. Inner-product space on unit vectors.
import fs from 'node:fs';
import { timed } from './benchStats.ts';

export interface HnswIndex {
  initIndex(maxElements: number, m?: number, efConstruction?: number, randomSeed?: number): void;
  addPoint(point: number[], label: number): void;
  searchKnn(query: number[], k: number): { neighbors: number[] };
  setEf(ef: number): void;
  readIndexSync(path: string): void;
  writeIndexSync(path: string): void;
  getCurrentCount(): number;
  getPoint(label: number): number[];
}
type HnswCtor = new (space: 'ip' | 'l2' | 'cosine', dim: number) => HnswIndex;

/** The HierarchicalNSW class, or undefined when hnswlib-node is not installed. */
export async function loadHnsw(): Promise<HnswCtor | undefined> {
  const name = 'hnswlib-node'; // a variable specifier keeps bundlers from inlining the native addon
  try {
    const mod = (await import(name)) as { HierarchicalNSW?: HnswCtor; default?: { HierarchicalNSW?: HnswCtor } };
    return mod.HierarchicalNSW ?? mod.default?.HierarchicalNSW;
  } catch {
    return undefined;
  }
}

export interface HnswBuild {
  readonly index: HnswIndex;
  /** null when the graph was reloaded (`--reuse`). */
  readonly buildMs: number | null;
  /** Why a saved graph was not reused (it holds other vectors), when `reuse` found one. */
  readonly staleReason?: string;
  readonly buildCpuMs: number | null;
  /** RSS growth while building, minus the raw vectors it copies (null when reloaded). */
  readonly overheadBytes: number | null;
}

export interface HnswSpec {
  readonly data: Float32Array;
  readonly dim: number;
  readonly m: number;
  readonly efConstruction: number;
  /** Save the graph here after building, or load it from here when `reuse` and the file exists. */
  readonly file?: string;
  readonly reuse?: boolean;
}

/** Rows compared when checking that a saved graph holds these vectors. */
const CHECKED_ROWS = 64;

/** Why `index` does not hold exactly the rows of `s` (count, then evenly spaced rows), or undefined when it does. */
export function staleGraph(index: HnswIndex, s: Pick<HnswSpec, 'data' | 'dim'>): string | undefined {
  const n = s.data.length / s.dim;
  if (index.getCurrentCount() !== n) return `it holds ${index.getCurrentCount()} vectors, not ${n}`;
  for (let j = 0; j < Math.min(n, CHECKED_ROWS); j++) {
    const label = Math.floor((j * n) / Math.min(n, CHECKED_ROWS));
    const stored = index.getPoint(label);
    for (let d = 0; d < s.dim; d++) {
      if (Math.abs(stored[d]! - s.data[label * s.dim + d]!) > 1e-6) return `vector ${label} differs (dimension ${d})`;
    }
  }
  return undefined;
}

/** Builds the graph, or reloads it from `file` with `reuse` when it holds the same vectors (else rebuilds and overwrites it). */
export function buildHnsw(Ctor: HnswCtor, s: HnswSpec): HnswBuild {
  const n = s.data.length / s.dim;
  let staleReason: string | undefined;
  if (s.file && s.reuse && fs.existsSync(s.file)) {
    const saved = new Ctor('ip', s.dim);
    saved.readIndexSync(s.file);
    staleReason = staleGraph(saved, s);
    if (!staleReason) return { index: saved, buildMs: null, buildCpuMs: null, overheadBytes: null };
  }
  const index = new Ctor('ip', s.dim);
  const rss0 = process.memoryUsage().rss;
  const t = timed(() => {
    index.initIndex(n, s.m, s.efConstruction, 100);
    for (let i = 0; i < n; i++) index.addPoint(Array.from(s.data.subarray(i * s.dim, (i + 1) * s.dim)), i);
  });
  const overheadBytes = process.memoryUsage().rss - rss0 - n * s.dim * 4;
  if (s.file) index.writeIndexSync(s.file);
  return { index, buildMs: t.ms, buildCpuMs: t.cpuMs, overheadBytes, ...(staleReason ? { staleReason } : {}) };
}

export function hnswSearch(index: HnswIndex, q: Float32Array, k: number): number[] {
  return index.searchKnn(Array.from(q), k).neighbors;
}
