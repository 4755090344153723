// Result rows of the index-search benchmark, the acceptance summary (issue 11), and the text table.
import type { QueryRun } from './benchStats.ts';

export interface MethodBuild {
  readonly method: string;
  readonly buildMs: number | null;
  readonly buildCpuMs: number | null;
  /** Bytes held beyond the raw n·dim·4 vectors (centroids, ids, offsets, graph links…). */
  readonly overheadBytes: number | null;
}

export interface SweepRow extends QueryRun {
  readonly method: string;
  readonly setting: string;
}

export interface AcceptanceCheck {
  readonly target: string;
  readonly value: number | null;
  readonly bound: number | null;
  readonly met: boolean | null;
}

const ofRecall = (rows: readonly SweepRow[], method: string, r: number): SweepRow[] =>
  rows.filter((x) => x.method === method && x.recall >= r);

/** Fastest row of a method at recall ≥ r (by p50). */
export function fastestAt(rows: readonly SweepRow[], method: string, r: number): SweepRow | undefined {
  return ofRecall(rows, method, r).sort((a, b) => a.p50Ms - b.p50Ms)[0];
}

/** The first row (sweep order) of a method that reaches recall r: hnswlib's "first efSearch". */
export function firstAt(rows: readonly SweepRow[], method: string, r: number): SweepRow | undefined {
  return ofRecall(rows, method, r)[0];
}

/** Fewest vectors scored (items + centroids) at recall ≥ r. */
export function leanestAt(rows: readonly SweepRow[], method: string, r: number): SweepRow | undefined {
  const total = (x: SweepRow): number => (x.scoredFraction ?? Infinity) + (x.centroidFraction ?? 0);
  return ofRecall(rows, method, r).sort((a, b) => total(a) - total(b))[0];
}

export function acceptance(rows: readonly SweepRow[], builds: readonly MethodBuild[], rawBytes: number): AcceptanceCheck[] {
  const ours = fastestAt(rows, 'squeeze', 0.95);
  const hnsw = firstAt(rows, 'hnsw', 0.95);
  const exact = rows.find((x) => x.method === 'exact-wasm');
  const build = (m: string): number | null => builds.find((b) => b.method === m)?.buildMs ?? null;
  const check = (target: string, value: number | null | undefined, bound: number | null | undefined): AcceptanceCheck => {
    const v = value ?? null;
    const b = bound ?? null;
    return { target, value: v, bound: b, met: v === null || b === null ? null : v <= b };
  };
  const overhead = builds.find((b) => b.method === 'squeeze')?.overheadBytes ?? null;
  const leanOurs = leanestAt(rows, 'squeeze', 0.95);
  const leanIvf = leanestAt(rows, 'ivf', 0.95);
  const scored = (x: SweepRow | undefined): number | undefined => (x ? (x.scoredFraction ?? 0) + (x.centroidFraction ?? 0) : undefined);
  return [
    check('p50 at recall>=0.95 <= 0.5 x hnswlib p50 (first ef reaching 0.95)', ours?.p50Ms, hnsw ? 0.5 * hnsw.p50Ms : null),
    check('p50 at recall>=0.95 <= 0.02 x exact brute force p50', ours?.p50Ms, exact ? 0.02 * exact.p50Ms : null),
    check('build time <= 0.1 x hnswlib build', build('squeeze'), build('hnsw') === null ? null : 0.1 * build('hnsw')!),
    check('index memory beyond raw vectors <= 30%', overhead === null ? null : overhead / rawBytes, 0.3),
    check('vectors scored at recall>=0.95 <= IVF (fixed nprobe)', scored(leanOurs), scored(leanIvf)),
  ];
}

const pct = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(digits)}%`);
const ms = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x < 10 ? x.toFixed(3) : x.toFixed(1));

export function formatTable(rows: readonly SweepRow[], builds: readonly MethodBuild[], rawBytes: number): string {
  const head = ['method', 'setting', 'recall@10', 'p50 ms', 'p99 ms', 'scored', '+centroids'];
  const body = rows.map((r) => [r.method, r.setting, r.recall.toFixed(4), ms(r.p50Ms), ms(r.p99Ms), pct(r.scoredFraction), pct(r.centroidFraction)]);
  const lines = [table(head, body), '', table(['method', 'build s', 'build cpu s', 'memory beyond raw'],
    builds.map((b) => [b.method, b.buildMs === null ? '—' : (b.buildMs / 1000).toFixed(1), b.buildCpuMs === null ? '—' : (b.buildCpuMs / 1000).toFixed(1),
      b.overheadBytes === null ? '—' : pct(b.overheadBytes / rawBytes, 1)]))];
  return lines.join('\n');
}

export function formatAcceptance(checks: readonly AcceptanceCheck[]): string {
  const fmt = (x: number | null): string => (x === null ? '—' : Math.abs(x) < 1 ? x.toFixed(4) : x.toFixed(2));
  return table(['target', 'value', 'bound', 'met'], checks.map((c) => [c.target, fmt(c.value), fmt(c.bound), c.met === null ? 'n/a' : c.met ? 'yes' : 'NO']));
}

function table(head: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n');
}
