/**
 * An exclusive lock file holding its owner's pid, created with `wx`. A lock whose process is gone (a crash,
 * a kill) is taken over. Callers turn `busy` into their own message.
 */
import fs from 'node:fs/promises';

export type PidLockResult =
  | { readonly kind: 'acquired'; release(): Promise<void> }
  | { readonly kind: 'busy'; readonly pid: number }
  | { readonly kind: 'contended' };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Tries `attempts` times; a stale lock is removed between attempts. I/O errors other than EEXIST throw. */
export async function acquirePidLock(file: string, attempts: number): Promise<PidLockResult> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx' });
      return { kind: 'acquired', release: () => fs.rm(file, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = Number.parseInt(await fs.readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return { kind: 'busy', pid };
    await fs.rm(file, { force: true });
  }
  return { kind: 'contended' };
}
