import { after } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Returns a maker of temp folders for one test file; every folder it made (and its `<dir>-index` sibling)
 * is removed when that file's tests end.
 */
export function tempDirMaker(): (prefix: string) => string {
  const made: string[] = [];
  after(() => {
    for (const dir of made) for (const d of [dir, `${dir}-index`]) fs.rmSync(d, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
