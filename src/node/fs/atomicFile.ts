/**
 * Crash-safe file replacement: write to a unique temporary name in the same folder, fsync, rename over
 * the target, fsync the folder. A reader sees the old file or the new one, never a torn one.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export type FilePiece = string | Uint8Array;

export interface WrittenFile {
  readonly bytes: number;
  readonly sha256: string;
}

let counter = 0;

export function temporaryName(target: string): string {
  return `${target}.${process.pid}.${Date.now().toString(36)}.${(counter++).toString(36)}.tmp`;
}

/** Writes `pieces` (large contents are written piece by piece) and returns their size and sha256. */
export async function writeFileAtomic(target: string, pieces: Iterable<FilePiece>): Promise<WrittenFile> {
  const tmp = temporaryName(target);
  const hash = createHash('sha256');
  let bytes = 0;
  const handle = await fs.open(tmp, 'w');
  try {
    for (const piece of pieces) {
      const buf = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      await handle.write(buf);
      hash.update(buf);
      bytes += buf.byteLength;
    }
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  await fs.rename(tmp, target);
  await fsyncDirectory(path.dirname(target));
  return { bytes, sha256: hash.digest('hex') };
}

/** Makes a rename durable. Some platforms (Windows) cannot open a folder: that is not an error there. */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of a file, streamed (index files can be larger than one Buffer should hold). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await fs.open(file, 'r');
  try {
    for await (const piece of handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false })) hash.update(piece as Buffer);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
