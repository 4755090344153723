/**
 * Main-thread event-loop lag, split into what this thread did and what the OS did to it. Three views at
 * once while a probe runs:
 *  - `perf_hooks.monitorEventLoopDelay` at a fine resolution (libuv's own timer, native);
 *  - a setInterval gap probe: for every gap between two ticks, how long it lasted (wall), how long this
 *    thread was on a CPU meanwhile, and how long it waited runnable on a run queue (Linux
 *    /proc/self/task/<pid>/schedstat; the main thread's tid is the pid). The on-CPU time in a gap bounds
 *    the work that kept the loop from the timer; the run-queue wait is preemption by other threads;
 *  - every other top-level callback (message handlers, timers, promise reactions; async_hooks before/after
 *    at depth 0), its wall and on-CPU time, by async resource type.
 * schedstat counters of a running thread are brought up to date at scheduler ticks and switches, so the
 * CPU times carry an error of about one scheduler tick (a few ms).
 */
import { createHook, executionAsyncResource } from 'node:async_hooks';
import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { monitorEventLoopDelay, performance, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';

export interface SchedSample {
  /** Nanoseconds on a CPU, and waiting runnable on a run queue, since the thread started. */
  readonly runNs: number;
  readonly waitNs: number;
}

/** The main thread's scheduler counters; `read()` is undefined where the kernel does not expose them. */
export class MainThreadSchedstat {
  private readonly fd: number | undefined;
  private readonly buf = Buffer.alloc(128);

  constructor() {
    if (!isMainThread) throw new Error('MainThreadSchedstat reads the main thread (tid = pid) only');
    try {
      this.fd = fs.openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
    } catch {
      this.fd = undefined;
    }
  }

  read(): SchedSample | undefined {
    if (this.fd === undefined) return undefined;
    const n = fs.readSync(this.fd, this.buf, 0, this.buf.length, 0);
    // "<run ns> <wait ns> <slices>\n", parsed in place: the probe reads it every ms and must not feed the GC
    const field = [0, 0];
    for (let i = 0, f = 0; i < n && f < 2; i++) {
      const c = this.buf[i]!;
      if (c === 32) f++;
      else field[f] = field[f]! * 10 + (c - 48);
    }
    return { runNs: field[0]!, waitNs: field[1]! };
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
  }
}

export interface GapWorst {
  /** When the gap ended, ms after the probe started. */
  readonly atMs: number;
  /** Delay beyond the probe interval, ms. */
  readonly lateMs: number;
  readonly cpuMs: number;
  readonly waitMs: number;
  /** Neither on a CPU nor runnable (sleeping, page faults, locks): the rest of the gap. */
  readonly offMs: number;
  /** Garbage collection of this thread's heap inside the gap (filled in by the report). */
  readonly gcMs?: number;
}

export interface CallbackTypeStats {
  count: number;
  maxWallMs: number;
  maxCpuMs: number;
  totalCpuMs: number;
}

export interface LagReport {
  readonly wallMs: number;
  /** monitorEventLoopDelay: delay beyond its resolution, ms. */
  readonly histogram: { readonly samples: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  readonly gaps: {
    readonly ticks: number;
    readonly p99LateMs: number;
    readonly maxLateMs: number;
    readonly over50: number;
    /** The latest tick, decomposed (undefined without schedstat). */
    readonly worst: GapWorst | undefined;
    /** Every tick later than 50 ms, decomposed (the first 50). */
    readonly over50List: readonly GapWorst[];
    /** The most on-CPU time between two ticks: the longest the loop was held by work of this thread. */
    readonly maxCpuMs: number | undefined;
    /** Of that gap: when it ended (ms after start), and the garbage-collection time that overlapped it. */
    readonly maxCpuAtMs: number | undefined;
    readonly maxCpuGcMs: number | undefined;
  };
  /** Top-level callbacks other than the probe's own ticks. */
  readonly callbacks: { readonly count: number; readonly maxWallMs: number; readonly maxCpuMs: number | undefined; readonly byType: Record<string, CallbackTypeStats> };
  /** Share of the wall time this thread was on a CPU, and runnable but waiting. */
  readonly thread: { readonly cpuShare: number; readonly waitShare: number } | undefined;
  readonly gc: { readonly count: number; readonly totalMs: number; readonly maxMs: number };
}

const ms = (ns: number) => ns / 1e6;
const r3 = (x: number) => Number(x.toFixed(3));

function quantile(sorted: Float64Array, q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : 0;
}

export interface LagProbeOptions {
  /** setInterval period of the gap probe (default 1 ms). */
  readonly intervalMs?: number;
  /** monitorEventLoopDelay resolution (default 1 ms). */
  readonly resolutionMs?: number;
}

/** One probe per measured period (single use): `start()`, then `stop()` returns the report. Main thread only. */
export class LagProbe {
  private readonly intervalMs: number;
  private readonly resolutionMs: number;
  private readonly histogram: IntervalHistogram;
  private readonly sched = new MainThreadSchedstat();
  private late = new Float64Array(1 << 16);
  private lateCount = 0;
  private worst: GapWorst | undefined;
  private readonly over50List: GapWorst[] = [];
  private maxGapCpuNs: number | undefined;
  private maxCpuGap: { from: number; to: number } | undefined;
  private readonly gcSpans: { from: number; to: number }[] = [];
  private readonly byType: Record<string, CallbackTypeStats> = {};
  private readonly gc = { count: 0, totalMs: 0, maxMs: 0 };
  private readonly hook = createHook({ before: () => this.enter(), after: () => this.leave() });
  private readonly gcObserver = new PerformanceObserver((list) => this.onGc(list.getEntries()));
  private timer: NodeJS.Timeout | undefined;
  private depth = 0;
  private span: { t0: number; s0: SchedSample | undefined; type: string } | undefined;
  private last = { t: 0, s: undefined as SchedSample | undefined };
  private first = { t: 0, s: undefined as SchedSample | undefined };

  constructor(o: LagProbeOptions = {}) {
    this.intervalMs = o.intervalMs ?? 1;
    this.resolutionMs = o.resolutionMs ?? 1;
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
  }

  start(): void {
    this.first = this.last = { t: performance.now(), s: this.sched.read() };
    this.histogram.enable();
    this.gcObserver.observe({ entryTypes: ['gc'] });
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.hook.enable();
  }

  stop(): LagReport {
    this.hook.disable();
    clearInterval(this.timer);
    this.onGc(this.gcObserver.takeRecords());
    this.gcObserver.disconnect();
    this.histogram.disable();
    this.tick();
    const end = this.last;
    this.sched.close();
    return this.report(end.t - this.first.t, end.s && this.first.s ? { runNs: end.s.runNs - this.first.s.runNs, waitNs: end.s.waitNs - this.first.s.waitNs } : undefined);
  }

  private tick(): void {
    const t = performance.now();
    const s = this.sched.read();
    const lateMs = Math.max(0, t - this.last.t - this.intervalMs);
    this.pushLate(lateMs);
    if (s && this.last.s) {
      const cpuNs = s.runNs - this.last.s.runNs;
      const waitNs = s.waitNs - this.last.s.waitNs;
      if (this.maxGapCpuNs === undefined || cpuNs > this.maxGapCpuNs) {
        this.maxGapCpuNs = cpuNs;
        this.maxCpuGap = { from: this.last.t, to: t };
      }
      if (!this.worst || lateMs > this.worst.lateMs || (lateMs > 50 && this.over50List.length < 50)) {
        const gap = { atMs: r3(t - this.first.t), lateMs: r3(lateMs), cpuMs: r3(ms(cpuNs)), waitMs: r3(ms(waitNs)), offMs: r3(Math.max(0, t - this.last.t - ms(cpuNs + waitNs))) };
        if (!this.worst || lateMs > this.worst.lateMs) this.worst = gap;
        if (lateMs > 50 && this.over50List.length < 50) this.over50List.push(gap);
      }
    }
    this.last = { t, s };
  }

  private pushLate(x: number): void {
    if (this.lateCount === this.late.length) {
      const grown = new Float64Array(this.late.length * 2);
      grown.set(this.late);
      this.late = grown;
    }
    this.late[this.lateCount++] = x;
  }

  /** async_hooks `before`: a top-level callback starts (the probe's own ticks are not timed). */
  private enter(): void {
    if (this.depth++ !== 0) return;
    const resource = executionAsyncResource() as object | undefined;
    if (resource === this.timer) return;
    const type = resource instanceof Promise ? 'Promise' : (resource?.constructor?.name ?? 'unknown');
    this.span = { t0: performance.now(), s0: this.sched.read(), type };
  }

  private leave(): void {
    if (this.depth === 0) return; // the callback that enabled the hook ends: it was never entered
    if (--this.depth !== 0 || !this.span) return;
    const { t0, s0, type } = this.span;
    this.span = undefined;
    const wallMs = performance.now() - t0;
    const s = s0 && this.sched.read();
    const cpuMs = s && s0 ? ms(s.runNs - s0.runNs) : 0;
    const st = (this.byType[type] ??= { count: 0, maxWallMs: 0, maxCpuMs: 0, totalCpuMs: 0 });
    st.count++;
    st.maxWallMs = Math.max(st.maxWallMs, wallMs);
    st.maxCpuMs = Math.max(st.maxCpuMs, cpuMs);
    st.totalCpuMs += cpuMs;
  }

  private onGc(entries: readonly { startTime: number; duration: number }[]): void {
    for (const e of entries) {
      this.gcSpans.push({ from: e.startTime, to: e.startTime + e.duration });
      this.gc.count++;
      this.gc.totalMs += e.duration;
      this.gc.maxMs = Math.max(this.gc.maxMs, e.duration);
    }
  }

  private withGc(g: GapWorst): GapWorst {
    const to = this.first.t + g.atMs;
    return { ...g, gcMs: r3(this.gcWithin({ from: to - g.lateMs - this.intervalMs, to })) };
  }

  /** Milliseconds of garbage collection inside [from, to]. */
  private gcWithin(w: { from: number; to: number }): number {
    return this.gcSpans.reduce((a, g) => a + Math.max(0, Math.min(w.to, g.to) - Math.max(w.from, g.from)), 0);
  }

  private report(wallMs: number, sched: SchedSample | undefined): LagReport {
    const late = this.late.slice(0, this.lateCount).sort();
    const h = this.histogram;
    const res = (ns: number) => r3(Math.max(0, ms(ns) - this.resolutionMs));
    const types = Object.values(this.byType);
    const hasSched = sched !== undefined;
    return {
      wallMs: r3(wallMs),
      histogram: { samples: h.count, p50Ms: res(h.percentile(50)), p99Ms: res(h.percentile(99)), maxMs: res(h.max) },
      gaps: {
        ticks: late.length, p99LateMs: r3(quantile(late, 0.99)), maxLateMs: r3(late[late.length - 1] ?? 0), over50: late.filter((x) => x > 50).length,
        worst: this.worst && this.withGc(this.worst), over50List: this.over50List.map((g) => this.withGc(g)), maxCpuMs: this.maxGapCpuNs === undefined ? undefined : r3(ms(this.maxGapCpuNs)),
        maxCpuAtMs: this.maxCpuGap && r3(this.maxCpuGap.to - this.first.t), maxCpuGcMs: this.maxCpuGap && r3(this.gcWithin(this.maxCpuGap)),
      },
      callbacks: {
        count: types.reduce((a, t) => a + t.count, 0), maxWallMs: r3(Math.max(0, ...types.map((t) => t.maxWallMs))),
        maxCpuMs: hasSched ? r3(Math.max(0, ...types.map((t) => t.maxCpuMs))) : undefined,
        byType: Object.fromEntries(Object.entries(this.byType).map(([k, t]) => [k, { count: t.count, maxWallMs: r3(t.maxWallMs), maxCpuMs: r3(t.maxCpuMs), totalCpuMs: r3(t.totalCpuMs) }])),
      },
      thread: sched && wallMs > 0 ? { cpuShare: r3(ms(sched.runNs) / wallMs), waitShare: r3(ms(sched.waitNs) / wallMs) } : undefined,
      gc: { count: this.gc.count, totalMs: r3(this.gc.totalMs), maxMs: r3(this.gc.maxMs) },
    };
  }
}

/**
 * Keeps this (main) thread busy until it has run `cpuMs` on a CPU (by schedstat; by the wall clock where
 * that is missing): a synchronous job of known cost, however much the OS preempts it meanwhile.
 */
export function burnCpu(cpuMs: number, sched = new MainThreadSchedstat()): void {
  const t0 = performance.now();
  const s0 = sched.read();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i++) x += Math.sqrt(i + x);
    const s = sched.read();
    if ((s && s0 ? ms(s.runNs - s0.runNs) : performance.now() - t0) >= cpuMs) break;
  }
  sched.close();
  if (Number.isNaN(x)) throw new Error('unreachable');
}

export interface SelfCheck {
  readonly blockCpuMs: number;
  readonly seen: { readonly maxLateMs: number; readonly maxGapCpuMs: number | undefined; readonly callbackWallMs: number; readonly callbackCpuMs: number | undefined };
  readonly passed: boolean;
}

/**
 * Proves that the probe can fail: a timer callback burns `blockCpuMs` of CPU while a probe runs, and each
 * of its views must show at least 90% of it (the CPU views lag by up to a scheduler tick).
 */
export async function lagProbeSelfCheck(blockCpuMs = 100): Promise<SelfCheck> {
  const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
  const probe = new LagProbe();
  probe.start();
  await sleep(20);
  await new Promise<void>((resolve) => setTimeout(() => (burnCpu(blockCpuMs), resolve()), 0));
  await sleep(20);
  const r = probe.stop();
  const seen = { maxLateMs: r.gaps.maxLateMs, maxGapCpuMs: r.gaps.maxCpuMs, callbackWallMs: r.callbacks.maxWallMs, callbackCpuMs: r.callbacks.maxCpuMs };
  const enough = (x: number | undefined) => x === undefined || x >= 0.9 * blockCpuMs;
  return { blockCpuMs, seen, passed: [seen.maxLateMs, seen.maxGapCpuMs, seen.callbackWallMs, seen.callbackCpuMs].every(enough) };
}
