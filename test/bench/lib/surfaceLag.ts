/**
 * Event-loop lag of the host thread while the index worker runs the first index: the real
 * `IndexWorkerClient` starts dist/workers/indexWorker.cjs and forwards progress and log messages, as in
 * the extension host; `perf_hooks.monitorEventLoopDelay` samples the main thread meanwhile.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { IntervalHistogram } from 'node:perf_hooks';
import { CancellationTokenSource } from '../../../src/common/cancellation.ts';
import type { Logger } from '../../../src/common/log.ts';
import type { IndexSummary } from '../../../src/node/indexer/repositoryIndexer.ts';
// eslint-disable-next-line no-restricted-imports -- the bench drives the extension's own (vscode-free) worker client
import { IndexWorkerClient } from '../../../src/vscode/index/indexWorkerClient.ts';

export const LAG_RESOLUTION_MS = 5;

export interface LagStats {
  readonly samples: number;
  /** Delay beyond the sampling interval, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface FirstIndexRun {
  readonly lag: LagStats;
  readonly idleLag: LagStats;
  readonly indexMs: number;
  readonly summary: IndexSummary;
  readonly progressMessages: number;
  readonly logMessages: number;
  /** The status text the last progress message produced. */
  readonly lastStatus: string;
}

function stats(h: IntervalHistogram): LagStats {
  const ms = (ns: number): number => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS);
  return { samples: h.count, p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) };
}

/** Lag of an idle loop over `ms`: the machine's floor, to read the indexing numbers against. */
export async function idleLag(ms: number): Promise<LagStats> {
  const h = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  h.enable();
  await new Promise((r) => setTimeout(r, ms));
  h.disable();
  return stats(h);
}

export function countingLogger(counter: { n: number }): Logger {
  const count = (): void => {
    counter.n++;
  };
  return { trace: count, debug: count, info: count, warn: count, error: count } as unknown as Logger;
}

/** Runs the first index of `root` in the worker and samples the host thread's event-loop delay meanwhile. */
export async function firstIndexWithLag(client: IndexWorkerClient, root: string, indexDir: string, logs: { n: number }): Promise<Omit<FirstIndexRun, 'idleLag'>> {
  const source = new CancellationTokenSource();
  let progressMessages = 0;
  let statusText = '';
  const h = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  h.enable();
  const t0 = performance.now();
  const summary = await client.index(
    { root, indexDir, maxFileBytes: 1_000_000, chunkTokens: 256, extraExcludes: [] },
    (p) => {
      // what the extension does per progress message: new state, status bar text
      progressMessages++;
      statusText = `Squeeze ${p.phase} ${p.done}/${p.total}`;
    },
    source.token,
  );
  const indexMs = performance.now() - t0;
  h.disable();
  source.dispose();
  return { lag: stats(h), indexMs, summary, progressMessages, logMessages: logs.n, lastStatus: statusText };
}
