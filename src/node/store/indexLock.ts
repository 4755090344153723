/**
 * One writer per index folder: a `lock` file created exclusively, holding the writer's pid. A lock whose
 * process is gone (a crash, a kill) is taken over. Readers need no lock: they read immutable segment files
 * named by an atomically replaced manifest.
 */
import path from 'node:path';
import { acquirePidLock } from '../fs/pidLock.ts';

export class IndexBusyError extends Error {
  constructor(dir: string, pid: number) {
    super(`the index in ${dir} is being updated by process ${pid}`);
    this.name = 'IndexBusyError';
  }
}

export interface IndexLock {
  release(): Promise<void>;
}

export async function acquireIndexLock(dir: string): Promise<IndexLock> {
  const lock = await acquirePidLock(path.join(dir, 'lock'), 3);
  if (lock.kind === 'busy') throw new IndexBusyError(dir, lock.pid);
  if (lock.kind === 'contended') throw new Error(`could not lock ${dir}`);
  return { release: lock.release };
}
