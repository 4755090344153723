// Timing and recall helpers for the index benchmarks: one query at a time on the main thread.

export interface QueryRun {
  readonly recall: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  /** Mean item vectors scored per query as a fraction of n (null when the method cannot tell). */
  readonly scoredFraction: number | null;
  /** Mean centroids scored per query as a fraction of n (partition indexes), else undefined. */
  readonly centroidFraction?: number;
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.max(0, Math.ceil(p * sortedMs.length) - 1))]!;
}

/** Recall@k of `got` against the exact top-k ids. */
export function recallOf(got: readonly number[], truth: readonly number[]): number {
  const want = new Set(truth);
  let hit = 0;
  for (const id of got) if (want.has(id)) hit++;
  return truth.length > 0 ? hit / truth.length : 1;
}

export interface RunArgs {
  readonly queries: Float32Array;
  readonly dim: number;
  readonly truth: readonly (readonly number[])[];
  readonly n: number;
  /** Queries run (untimed) before timing starts. */
  readonly warmup?: number;
  /** Recall of query i's ids (default: recallOf against truth[i]). */
  readonly recall?: (ids: readonly number[], i: number) => number;
}

/** Runs `search` over every query; the callback returns the ids and the vectors it scored (or null). */
export function runQueries(a: RunArgs, search: (q: Float32Array) => { ids: readonly number[]; scored: number | null; centroids?: number }): QueryRun {
  const count = a.truth.length;
  const q = (i: number): Float32Array => a.queries.subarray(i * a.dim, (i + 1) * a.dim);
  for (let i = 0; i < Math.min(count, a.warmup ?? 20); i++) search(q(i));
  const times: number[] = [];
  let recall = 0;
  let scored: number | null = 0;
  let centroids: number | undefined;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const r = search(q(i));
    times.push(performance.now() - t0);
    recall += a.recall ? a.recall(r.ids, i) : recallOf(r.ids, a.truth[i]!);
    scored = scored === null || r.scored === null ? null : scored + r.scored;
    if (r.centroids !== undefined) centroids = (centroids ?? 0) + r.centroids;
  }
  times.sort((x, y) => x - y);
  return {
    recall: recall / count,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    meanMs: times.reduce((s, t) => s + t, 0) / count,
    scoredFraction: scored === null ? null : scored / count / a.n,
    ...(centroids === undefined ? {} : { centroidFraction: centroids / count / a.n }),
  };
}

/** Wall and CPU milliseconds of a synchronous step. */
export function timed<T>(step: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = step();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
}

export async function timedAsync<T>(step: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await step();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
}
