/**
 * The tables of the index database and the statements the store runs on them, inside transactions that
 * StoreConnection opens. Values go through storeCodec.ts / metaCodec.ts.
 *
 *   meta   (key PRIMARY KEY, value)                              format_version, encoder_id, dim, chunker,
 *                                                               chunk_tokens, generation, complete, updated_at, idf
 *   files  (path PRIMARY KEY, size, mtime_ms, hash, skip, chunk_count)
 *   chunks (file, ordinal, record, vector, crc)  UNIQUE (file, ordinal)
 *   blobs  (name PRIMARY KEY, generation, data)                  named data of other components (a checked blob)
 */
import type { Database } from 'node-sqlite3-wasm';
import type { Chunk } from '../../common/chunk/chunk.ts';
import { IndexCorruptError } from './indexCorruptError.ts';
import { INDEX_FORMAT_VERSION, type FileEntry, type IndexMeta } from './indexManifest.ts';
import { decodeFileTable, decodeFormatVersion, decodeMeta, encodeFileRow, encodeMeta, metaMap } from './metaCodec.ts';
import { encodeChunkRow } from './storeCodec.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL,
    hash TEXT NOT NULL, skip TEXT, chunk_count INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS chunks (file TEXT NOT NULL, ordinal INTEGER NOT NULL, record BLOB NOT NULL,
    vector BLOB NOT NULL, crc INTEGER NOT NULL);
  CREATE UNIQUE INDEX IF NOT EXISTS chunks_by_file ON chunks (file, ordinal);
  CREATE TABLE IF NOT EXISTS blobs (name TEXT PRIMARY KEY NOT NULL, generation INTEGER NOT NULL, data BLOB NOT NULL);
`;
const TABLES = ['blobs', 'chunks', 'files', 'meta'];
/** The files table as one JSON text: one value through the wasm boundary instead of six per row (6–10× faster). */
const FILES_AS_JSON = `SELECT json_group_array(json_array(path, size, mtime_ms, hash, skip, chunk_count)) AS files
  FROM (SELECT * FROM files ORDER BY path)`;

export function createTables(db: Database): void {
  db.exec(SCHEMA);
}

/** What a stored index says about itself; undefined for a database with no tables yet. */
export type StoredHeader = { readonly meta: IndexMeta; readonly files: FileEntry[] } | { readonly formatVersion: number };

export function readHeader(db: Database): StoredHeader | undefined {
  const tables = db.all("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) => r.name);
  if (tables.length === 0) return undefined;
  if (!tables.includes('meta')) throw new IndexCorruptError('the database has no meta table');
  const map = metaMap(db.all('SELECT key, value FROM meta'));
  const formatVersion = decodeFormatVersion(map);
  if (formatVersion !== INDEX_FORMAT_VERSION) return { formatVersion };
  const missing = TABLES.filter((t) => !tables.includes(t));
  if (missing.length > 0) throw new IndexCorruptError(`the database has no ${missing.join(', ')} table`);
  const meta = decodeMeta(map);
  return { meta, files: decodeFileTable(db.get(FILES_AS_JSON)?.files) };
}

export function writeMeta(db: Database, meta: IndexMeta): void {
  const stmt = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  try {
    for (const row of encodeMeta(meta)) stmt.run(row);
  } finally {
    stmt.finalize();
  }
}

/** Writes the statements of one commit; prepared once, finalized by `finish`. */
export class TableWriter {
  private readonly upsert;
  private readonly removeFile;
  private readonly removeChunks;
  private readonly insertChunk;
  private readonly dim: number;

  constructor(db: Database, dim: number) {
    this.dim = dim;
    this.upsert = db.prepare('INSERT OR REPLACE INTO files (path, size, mtime_ms, hash, skip, chunk_count) VALUES (:path, :size, :mtime_ms, :hash, :skip, :chunk_count)');
    this.removeFile = db.prepare('DELETE FROM files WHERE path = ?');
    this.removeChunks = db.prepare('DELETE FROM chunks WHERE file = ?');
    this.insertChunk = db.prepare('INSERT INTO chunks (file, ordinal, record, vector, crc) VALUES (?, ?, ?, ?, ?)');
  }

  putFile(entry: FileEntry): void {
    const row = encodeFileRow(entry);
    this.upsert.run({ ':path': row.path, ':size': row.size, ':mtime_ms': row.mtime_ms, ':hash': row.hash, ':skip': row.skip, ':chunk_count': row.chunk_count });
  }

  deleteFile(path: string): void {
    this.removeChunks.run(path);
    this.removeFile.run(path);
  }

  replaceChunks(path: string, chunks: readonly Chunk[], rows: Float32Array | undefined, hadChunks: boolean): void {
    if (hadChunks) this.removeChunks.run(path);
    if (chunks.length === 0) return;
    if (!rows || rows.length !== chunks.length * this.dim) {
      throw new Error(`${path}: expected ${chunks.length} rows of ${this.dim} values, got ${rows?.length ?? 0} values`);
    }
    chunks.forEach((c, i) => {
      const row = encodeChunkRow(c, rows.subarray(i * this.dim, (i + 1) * this.dim));
      this.insertChunk.run([path, i, row.record, row.vector, row.crc]);
    });
  }

  finish(): void {
    for (const s of [this.upsert, this.removeFile, this.removeChunks, this.insertChunk]) if (!s.isFinalized) s.finalize();
  }
}

export function readBlobRow(db: Database, name: string): { generation: unknown; data: unknown } | undefined {
  const row = db.get('SELECT generation, data FROM blobs WHERE name = ?', name);
  return row ? { generation: row.generation, data: row.data } : undefined;
}

export function writeBlobRow(db: Database, name: string, generation: number, data: Uint8Array): void {
  db.run('INSERT OR REPLACE INTO blobs (name, generation, data) VALUES (?, ?, ?)', [name, generation, data]);
}
