/** What leak checks read from the running process: a forced garbage collection and its active handles. */
import v8 from 'node:v8';
import vm from 'node:vm';

/** A full GC, without needing `--expose-gc` on the command line. */
export function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Active handles, timers and requests of the process, counted by type. */
export function activeResources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}
