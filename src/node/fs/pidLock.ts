/**
 * An exclusive lock file holding its owner's pid, created with `wx`. A lock whose process is gone (a crash,
 * a kill) is taken over. Callers turn `busy` into their own message.
 */
import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';

export type PidLockResult =
  | {
    readonly kind: 'acquired';
    /** True when a lock left by a process that no longer runs was removed first (its owner died). */
    readonly tookOver: boolean;
    release(): Promise<void>;
  }
  | { readonly kind: 'busy'; readonly pid: number }
  | { readonly kind: 'contended' };

/** Whether a process with this pid runs (EPERM: it runs under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a lock file when that process still runs; undefined when there is no file or its owner is gone. */
export function liveLockHolder(file: string): number | undefined {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : undefined;
}

/** Tries `attempts` times; a stale lock is removed between attempts. I/O errors other than EEXIST throw. */
export async function acquirePidLock(file: string, attempts: number): Promise<PidLockResult> {
  let tookOver = false;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' });
      return { kind: 'acquired', tookOver, release: () => fs.rm(file, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = Number.parseInt(await fs.readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) return { kind: 'busy', pid };
    await fs.rm(file, { force: true });
    tookOver = true;
  }
  return { kind: 'contended' };
}
