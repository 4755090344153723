/**
 * One writer per index folder: a `lock` file created exclusively, holding the writer's pid. A lock whose
 * process is gone (a crash, a kill) is taken over, and the store then checks the database before trusting
 * it. Readers take no pid lock: SQLite's own file lock keeps them out of a commit (see storeConnection.ts).
 */
import path from 'node:path';
import { acquirePidLock, liveLockHolder } from '../fs/pidLock.ts';

export const WRITER_LOCK_FILE = 'lock';

export class IndexBusyError extends Error {
  constructor(dir: string, pid: number) {
    super(`the index in ${dir} is being updated by process ${pid}`);
    this.name = 'IndexBusyError';
  }
}

export interface IndexLock {
  /** The previous writer died holding the lock: its last transaction may have been cut short. */
  readonly tookOver: boolean;
  release(): Promise<void>;
}

export async function acquireIndexLock(dir: string): Promise<IndexLock> {
  const lock = await acquirePidLock(path.join(dir, WRITER_LOCK_FILE), 3);
  if (lock.kind === 'busy') throw new IndexBusyError(dir, lock.pid);
  if (lock.kind === 'contended') throw new Error(`could not lock ${dir}`);
  return { tookOver: lock.tookOver, release: lock.release };
}

/** The pid of a running writer of the index in `dir`, if any. */
export function liveWriter(dir: string): number | undefined {
  return liveLockHolder(path.join(dir, WRITER_LOCK_FILE));
}
