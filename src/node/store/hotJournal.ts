/**
 * Rolls back a hot rollback journal (`<db>-journal` left by a writer that died mid-transaction).
 *
 * SQLite would do this itself on the next read, but node-sqlite3-wasm's VFS locks with one directory,
 * `<db>.lock`, for every lock level and reports a RESERVED lock whenever that directory exists, even when
 * the caller holds it: so SQLite never sees a journal as hot and would read the half-written pages. We
 * therefore take that lock ourselves (mkdir), and play the journal back as the file format documents it
 * (https://www.sqlite.org/fileformat2.html#the_rollback_journal): restore the original pages, truncate the
 * database to its original size, fsync, delete the journal. Idempotent: a crash during the rollback leaves
 * the journal, and the next rollback starts over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { IndexCorruptError } from './indexCorruptError.ts';

const MAGIC = Uint8Array.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);
const PENDING_BYTE = 0x40000000;

export type JournalRecovery = 'none' | 'busy' | 'rolledBack';

interface JournalHeader {
  /** Records in this segment; 0xffffffff: up to the end of the file. */
  readonly records: number;
  readonly nonce: number;
  readonly dbPages: number;
  readonly sectorSize: number;
  readonly pageSize: number;
}

/** When `<db>-journal` exists and nobody holds the database, rolls it back; 'busy' when someone holds it. */
export function recoverHotJournal(dbFile: string): JournalRecovery {
  const journal = `${dbFile}-journal`;
  if (!fs.existsSync(journal)) return 'none';
  const lock = `${dbFile}.lock`;
  try {
    fs.mkdirSync(lock);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return 'busy';
    throw e;
  }
  try {
    if (!fs.existsSync(journal)) return 'none';
    try {
      if (fs.existsSync(dbFile)) playBackJournal(dbFile, journal);
    } catch (e) {
      if (e instanceof IndexCorruptError) throw new IndexCorruptError(`the rollback journal ${journal} cannot be played back: ${e.message}`);
      throw e;
    }
    fs.unlinkSync(journal);
    syncFolder(path.dirname(dbFile));
    return 'rolledBack';
  } finally {
    fs.rmdirSync(lock);
  }
}

function syncFolder(dir: string): void {
  let fd = -1;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // some platforms cannot fsync a folder; the journal's removal is then only as durable as the OS makes it
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

function readAt(fd: number, bytes: number, offset: number): Uint8Array {
  const buf = new Uint8Array(bytes);
  const n = fs.readSync(fd, buf, 0, bytes, offset);
  return n === bytes ? buf : buf.subarray(0, n);
}

/** The header at `offset`, or undefined where there is none (end of file, or a header never synced). */
function readHeader(fd: number, offset: number, size: number, first: boolean): JournalHeader | undefined {
  if (offset + 28 > size) return undefined;
  const b = readAt(fd, 28, offset);
  if (!MAGIC.every((m, i) => b[i] === m)) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const h = { records: v.getUint32(8), nonce: v.getUint32(12), dbPages: v.getUint32(16), sectorSize: v.getUint32(20), pageSize: v.getUint32(24) };
  const pow2 = (x: number) => (x & (x - 1)) === 0;
  if (first && (h.pageSize < 512 || h.pageSize > 65536 || !pow2(h.pageSize) || h.sectorSize < 32 || h.sectorSize > 65536 || !pow2(h.sectorSize))) {
    throw new IndexCorruptError('its first header is damaged');
  }
  return h;
}

function pageChecksum(page: Uint8Array, nonce: number): number {
  let sum = nonce;
  for (let i = page.length - 200; i > 0; i -= 200) sum = (sum + (page[i] as number)) >>> 0;
  return sum;
}

/** Restores every journaled page (the first copy of each), then truncates to the original size. */
function playBackJournal(dbFile: string, journalFile: string): void {
  const jfd = fs.openSync(journalFile, 'r');
  const dfd = fs.openSync(dbFile, 'r+');
  try {
    const size = fs.fstatSync(jfd).size;
    const first = readHeader(jfd, 0, size, true);
    if (!first) return;
    const { pageSize, sectorSize, dbPages } = first;
    fs.ftruncateSync(dfd, dbPages * pageSize);
    const recordSize = pageSize + 8;
    const pendingPage = Math.floor(PENDING_BYTE / pageSize) + 1;
    const restored = new Set<number>();
    let header: JournalHeader | undefined = first;
    let offset = 0;
    while (header) {
      let at = offset + sectorSize;
      const count = header.records === 0xffffffff ? Math.floor((size - at) / recordSize) : header.records;
      for (let i = 0; i < count; i++, at += recordSize) {
        if (at + recordSize > size) return void fs.fsyncSync(dfd);
        const rec = readAt(jfd, recordSize, at);
        const view = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
        const pgno = view.getUint32(0);
        const page = rec.subarray(4, 4 + pageSize);
        if (pgno === 0 || pgno === pendingPage || pageChecksum(page, header.nonce) !== view.getUint32(4 + pageSize)) return void fs.fsyncSync(dfd);
        if (pgno <= dbPages && !restored.has(pgno)) {
          fs.writeSync(dfd, page, 0, pageSize, (pgno - 1) * pageSize);
          restored.add(pgno);
        }
      }
      offset = Math.ceil(at / sectorSize) * sectorSize;
      header = readHeader(jfd, offset, size, false);
    }
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
    fs.closeSync(jfd);
  }
}
