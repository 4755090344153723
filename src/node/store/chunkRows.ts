/**
 * Reading the `chunks` table: every row in file order (a load, or a full check), or one file's vectors.
 * Rows must match the files table exactly (ordinals 0..count-1 per file) and each row its checksum.
 */
import type { Database } from 'node-sqlite3-wasm';
import type { Chunk } from '../../common/chunk/chunk.ts';
import { IndexCorruptError } from './indexCorruptError.ts';
import type { FileEntry } from './indexManifest.ts';
import { checkChunkRow, copyVector, decodeChunkRecord } from './storeCodec.ts';

/** Visits every row in file order with its checked bytes; `k` counts rows. Returns the number of rows. */
function forEachChunkRow(db: Database, files: readonly FileEntry[], dim: number, visit: (f: FileEntry, k: number, record: Uint8Array, vector: Uint8Array) => void): number {
  const stmt = db.prepare('SELECT file, ordinal, record, vector, crc FROM chunks ORDER BY file, ordinal');
  let k = 0;
  let fi = -1;
  let ordinal = 0;
  try {
    for (const r of stmt.iterate()) {
      while (fi < files.length && ordinal >= (files[fi]?.count ?? 0)) [fi, ordinal] = [fi + 1, 0];
      const f = files[fi];
      if (!f || r.file !== f.path || r.ordinal !== ordinal) throw new IndexCorruptError(`the chunks of ${String(f?.path ?? r.file)} do not match the files table`);
      const row = checkChunkRow(f.path, r.record, r.vector, r.crc, dim);
      visit(f, k++, row.record, row.vector);
      ordinal++;
    }
  } finally {
    stmt.finalize();
  }
  const total = files.reduce((n, f) => n + f.count, 0);
  if (k !== total) throw new IndexCorruptError(`the files table names ${total} chunks, the chunks table holds ${k}`);
  return k;
}

/** Every chunk and vector row, in the files' order (path, then ordinal). */
export function readAllChunks(db: Database, files: readonly FileEntry[], dim: number): { chunks: Chunk[]; rows: Float32Array } {
  const total = files.reduce((n, f) => n + f.count, 0);
  const chunks: Chunk[] = new Array<Chunk>(total);
  const rows = new Float32Array(total * dim);
  forEachChunkRow(db, files, dim, (f, k, record, vector) => {
    chunks[k] = decodeChunkRecord(f.path, record);
    copyVector(vector, rows, k * dim);
  });
  return { chunks, rows };
}

/** Checks every row (checksums, numbering) and every chunk record without keeping them; returns the row count. */
export function checkAllChunks(db: Database, files: readonly FileEntry[], dim: number): number {
  return forEachChunkRow(db, files, dim, (f, _k, record) => void decodeChunkRecord(f.path, record));
}

/** The vector rows of one file's stored chunks. */
export function readFileRows(db: Database, path: string, count: number, dim: number): Float32Array {
  const rows = new Float32Array(count * dim);
  const found = db.all('SELECT ordinal, record, vector, crc FROM chunks WHERE file = ? ORDER BY ordinal', path);
  if (found.length !== count) throw new IndexCorruptError(`${path} has ${found.length} stored chunks, the files table says ${count}`);
  found.forEach((r, i) => {
    if (r.ordinal !== i) throw new IndexCorruptError(`the chunks of ${path} are not numbered 0..${count - 1}`);
    copyVector(checkChunkRow(path, r.record, r.vector, r.crc, dim).vector, rows, i * dim);
  });
  return rows;
}
