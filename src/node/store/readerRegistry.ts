/**
 * Who may be holding the database's lock directory without being the writer: each read attempt of a
 * process that is not the writer announces itself with a `reader-<pid>-<thread>-<n>.pid` file in the store
 * folder for as long as it runs (milliseconds to seconds), and removes it after. A lock directory with no
 * live writer and no live reader behind it is stale: its owner died (see storeConnection.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { isProcessAlive } from '../fs/pidLock.ts';

const ENTRY = /^reader-(\d+)-\d+-\d+\.pid$/;
let counter = 0;

export class ReaderRegistry {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Announces a read attempt; returns the function that ends it. */
  enter(): () => void {
    const file = path.join(this.dir, `reader-${process.pid}-${threadId}-${++counter}.pid`);
    fs.writeFileSync(file, String(process.pid));
    return () => fs.rmSync(file, { force: true });
  }

  /** Whether any announced reader still runs; entries of processes that ended are removed. */
  anyLive(): boolean {
    let live = false;
    for (const name of fs.readdirSync(this.dir)) {
      const m = ENTRY.exec(name);
      if (!m) continue;
      if (isProcessAlive(Number(m[1]))) live = true;
      else fs.rmSync(path.join(this.dir, name), { force: true });
    }
    return live;
  }
}
