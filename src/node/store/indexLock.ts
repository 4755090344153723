/**
 * One writer per index folder: a `lock` file created exclusively, holding the writer's pid. A lock whose
 * process is gone (a crash, a kill) is taken over. Readers need no lock: they read immutable segment files
 * named by an atomically replaced manifest.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export class IndexBusyError extends Error {
  constructor(dir: string, pid: number) {
    super(`the index in ${dir} is being updated by process ${pid}`);
    this.name = 'IndexBusyError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface IndexLock {
  release(): Promise<void>;
}

export async function acquireIndexLock(dir: string): Promise<IndexLock> {
  const file = path.join(dir, 'lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' });
      return { release: () => fs.rm(file, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = Number.parseInt(await fs.readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && isAlive(pid)) throw new IndexBusyError(dir, pid);
    await fs.rm(file, { force: true });
  }
  throw new Error(`could not lock ${dir}`);
}
