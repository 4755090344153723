/**
 * Opening an existing index database: read its header (and, for a full check, every row) in one read
 * transaction. A damaged one throws IndexCorruptError, one of another format or build MismatchError.
 */
import { NULL_LOGGER } from '../../common/log.ts';
import { checkAllChunks } from './chunkRows.ts';
import { metaMismatch, type FileEntry, type IndexExpectation, type IndexMeta } from './indexManifest.ts';
import type { OpenIndexOptions } from './indexStore.ts';
import { readHeader, type StoredHeader } from './indexTables.ts';
import { StoreConnection } from './storeConnection.ts';
import { readDamageNote } from './storeFolder.ts';

export interface StoreState {
  readonly meta: IndexMeta;
  readonly files: ReadonlyMap<string, FileEntry>;
}

/** The stored index was built with another format, encoder or chunker; the message says which. */
export class MismatchError extends Error {}

export function headerMismatch(header: StoredHeader, expect: IndexExpectation): string | undefined {
  return 'meta' in header ? metaMismatch(header.meta, expect) : metaMismatch(header, expect);
}

/**
 * Opens an existing database and reads its header (and, for a full check, every row): a damaged one throws
 * IndexCorruptError, one of another build MismatchError. The writer checks fully when asked to, or when a
 * reader noted damage; SQLite's quick_check runs then and after any crash recovery.
 */
export async function openExisting(file: string, options: OpenIndexOptions, writer: boolean): Promise<{ conn: StoreConnection; state: StoreState | undefined }> {
  const full = options.verifyChecksums === true || (writer && (await readDamageNote(file)) !== undefined);
  const conn = await StoreConnection.open(file, {
    role: writer ? 'writer' : 'reader', logger: options.logger ?? NULL_LOGGER,
    check: full || options.lock?.tookOver === true,
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
  });
  try {
    // (SQLite itself reports a file shorter than the pages its header counts as corrupt)
    const header = await conn.transaction('read', (db) => {
      const h = readHeader(db);
      if (full && h && 'meta' in h && !headerMismatch(h, options)) checkAllChunks(db, h.files, options.dim);
      return h;
    });
    if (!header) return { conn, state: undefined };
    const mismatch = headerMismatch(header, options);
    if (mismatch || !('meta' in header)) throw new MismatchError(mismatch);
    return { conn, state: { meta: header.meta, files: new Map(header.files.map((f) => [f.path, f])) } };
  } catch (e) {
    conn.close();
    throw e;
  }
}
