/** The extension-host lag part of bench:encoder as JSON-ready data and markdown tables. */
import type { LagPhase, LagSummary } from './indexerLag.ts';
import type { SelfCheck } from './mainThreadLagProbe.ts';

export const LAG_TARGET_MS = 50;

export interface LagOut {
  readonly corpus: string;
  readonly injectMs: number;
  readonly summary: { readonly index: LagSummary | undefined; readonly idle: LagSummary | undefined; readonly control: LagSummary | undefined };
  readonly phases: readonly LagPhase[];
}

/** Whether this thread's own work (not the OS) stayed within the target: both CPU views, or undefined without them. */
export function ownWorkWithinTarget(s: LagSummary): boolean | undefined {
  if (s.maxGapCpuMs === undefined || s.maxCallbackCpuMs === undefined) return undefined;
  return s.maxGapCpuMs <= LAG_TARGET_MS && s.maxCallbackCpuMs <= LAG_TARGET_MS;
}

function markdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((x, i) => x.padEnd(w[i]!)).join(' | ')} |`;
  return [line(header), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

const n = (x: number | undefined) => (x === undefined ? 'n/a' : String(Number(x.toFixed(2))));
const met = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'yes' : 'NO');

function lagRows(s: { index: LagSummary; idle: LagSummary | undefined; control: LagSummary | undefined }): string[][] {
  const cols = [s.index, s.idle, s.control];
  const row = (label: string, f: (x: LagSummary) => string, ok = '') => [label, ...cols.map((c) => (c ? f(c) : 'n/a')), ok];
  const own = ownWorkWithinTarget(s.index);
  return [
    row('phases / wall s', (x) => `${x.phases} / ${n(x.wallMs / 1000)}`),
    row('loop delay histogram (1 ms) p99 / max, ms', (x) => `${n(x.histogramP99Ms)} / ${n(x.histogramMaxMs)}`),
    row(`latest 1 ms tick, ms (ticks > ${LAG_TARGET_MS} ms / ticks)`, (x) => `${n(x.maxLateMs)} (${x.ticksOver50}/${x.ticks})`, met(s.index.maxLateMs <= LAG_TARGET_MS)),
    row('that gap: own CPU / run-queue wait / off-CPU (GC inside), ms', (x) => (x.worstGap ? `${n(x.worstGap.cpuMs)} / ${n(x.worstGap.waitMs)} / ${n(x.worstGap.offMs)} (${n(x.worstGap.gcMs)})` : 'n/a')),
    row(`**own CPU, longest between two ticks <= ${LAG_TARGET_MS} ms** (of it GC)`, (x) => `${n(x.maxGapCpuMs)} (${n(x.maxGapCpuGcMs)})`, met(own)),
    row('longest callback: wall / own CPU, ms', (x) => `${n(x.maxCallbackWallMs)} / ${n(x.maxCallbackCpuMs)}`),
    row('thread on CPU / waiting runnable, share of wall', (x) => `${n(x.cpuShare)} / ${n(x.waitShare)}`),
    row('GC on this thread: count / longest ms', (x) => `${x.gc.count} / ${n(x.gc.maxMs)}`),
  ];
}

export function printLagTables(check: SelfCheck, lag: LagOut): void {
  const c = check.seen;
  console.log(`\nprobe self-check: a callback burning ${check.blockCpuMs} ms CPU shows as late ${n(c.maxLateMs)} ms, gap CPU ${n(c.maxGapCpuMs)} ms, callback ${n(c.callbackWallMs)} ms wall / ${n(c.callbackCpuMs)} ms CPU: ${check.passed ? 'passed' : 'FAILED'}`);
  const { index, idle, control } = lag.summary;
  if (!index) return;
  const idx = lag.phases.filter((p) => p.index).map((p) => p.index!);
  console.log(`extension-host lag: first index of ${lag.corpus} with the ONNX encoder, ${idx.map((i) => `${i.chunks} chunks / ${i.progressMessages} progress + ${i.logMessages} log messages`).join('; ')}${lag.injectMs ? `; INJECTED ${lag.injectMs} ms CPU in the first progress handler` : ''}\n`);
  console.log(markdown(['main thread', 'indexing', 'idle', 'control (same model, none of our code)', 'met'], lagRows({ index, idle, control })));
}
