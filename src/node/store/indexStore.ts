/**
 * The on-disk index of one repository: one SQLite database, `<indexDir>/index-v<N>/index.sqlite` (tables in
 * indexTables.ts). Every commit is one transaction: after a crash each file is at its last committed content
 * or absent, never half. The writer holds the index's pid lock (indexLock.ts) and passes it to `open`;
 * without it the store only reads (and may keep named blobs). A database that is damaged, or was built with
 * another format, encoder or chunker, is reported as `rebuildReason`, never read; the writer deletes it and
 * its next commit starts a new one. Folders of older formats (`index-v1`) are removed by the writer.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Chunk } from '../../common/chunk/chunk.ts';
import type { IdfTable } from '../../common/encode/idfTable.ts';
import { NULL_LOGGER, type Logger } from '../../common/log.ts';
import type { SkipReason } from '../../common/scan/scannedFile.ts';
import { IndexCorruptError } from './indexCorruptError.ts';
import type { IndexLock } from './indexLock.ts';
import {
  DATABASE_FILE, INDEX_FORMAT_VERSION, comparePaths,
  type ChunkRange, type IndexExpectation, type IndexManifest, type IndexMeta,
} from './indexManifest.ts';
import { readAllChunks, readFileRows } from './chunkRows.ts';
import { readBlobRow, readHeader, writeBlobRow } from './indexTables.ts';
import { BLOB_TAG, decodeCheckedBlob, encodeCheckedBlob } from './storeCodec.ts';
import { StoreConnection } from './storeConnection.ts';
import { applyCommit } from './storeCommit.ts';
import { discardDatabase, noteDamage, olderFormatReason, removeDamageNote, removeOlderFormats } from './storeFolder.ts';
import { MismatchError, headerMismatch, openExisting, type StoreState } from './storeOpen.ts';

export { IndexCorruptError };

export interface OpenIndexOptions extends IndexExpectation {
  readonly logger?: Logger;
  /**
   * Check everything on open: SQLite's `PRAGMA quick_check` and every row's checksum (default: quick_check
   * only after a crash was detected, and a full check by the writer when a reader noted damage).
   */
  readonly verifyChecksums?: boolean;
  /** The writer's lock (`acquireIndexLock`): the store may then commit. */
  readonly lock?: IndexLock;
  /** How long to wait for other processes' transactions before DatabaseBusyError (default 30 s, the writer 120 s). */
  readonly busyTimeoutMs?: number;
}

/** A file of the next commit: kept (`range`: its stored chunks stay), new (`chunks` + `rows`), or neither. */
export interface UpdatedFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
  readonly skip?: SkipReason;
  readonly range?: ChunkRange;
  readonly chunks?: readonly Chunk[];
  readonly rows?: Float32Array;
}

export interface IndexUpdate {
  /** Every file of the index after the commit, in any order; stored files not listed are removed. */
  readonly files: readonly UpdatedFile[];
  readonly idf: IdfTable | null;
  readonly complete: boolean;
}

export interface LoadedIndex {
  readonly manifest: IndexManifest;
  /** All chunks, in manifest file order; row i of `rows` belongs to chunk i. */
  readonly chunks: Chunk[];
  readonly rows: Float32Array;
}

export class IndexStore {
  readonly dir: string;
  readonly expect: IndexExpectation;
  /** Why an existing index could not be used and will be replaced by the next commit. */
  readonly rebuildReason: string | undefined;
  private readonly logger: Logger;
  private readonly options: OpenIndexOptions;
  private conn: StoreConnection | undefined;
  private state: StoreState | undefined;
  private sorted: IndexManifest | undefined;

  private constructor(dir: string, options: OpenIndexOptions, conn: StoreConnection | undefined, state: StoreState | undefined, reason: string | undefined) {
    this.dir = dir;
    this.options = options;
    this.expect = { encoderId: options.encoderId, dim: options.dim, chunker: options.chunker, chunkTokens: options.chunkTokens };
    this.logger = options.logger ?? NULL_LOGGER;
    this.conn = conn;
    this.state = state;
    this.rebuildReason = reason;
  }

  get file(): string {
    return path.join(this.dir, DATABASE_FILE);
  }

  /** Opens and validates the stored index; an unusable one is reported (and, by the writer, deleted), never read. */
  static async open(dir: string, options: OpenIndexOptions): Promise<IndexStore> {
    const logger = options.logger ?? NULL_LOGGER;
    const writer = options.lock !== undefined;
    const file = path.join(dir, DATABASE_FILE);
    if (writer) await fs.mkdir(dir, { recursive: true });
    let reason: string | undefined;
    let found: { conn: StoreConnection; state: StoreState | undefined } | undefined;
    if (await fs.stat(file).catch(() => undefined)) {
      try {
        found = await openExisting(file, options, writer);
      } catch (e) {
        if (!(e instanceof IndexCorruptError || e instanceof MismatchError)) throw e;
        reason = e instanceof MismatchError ? e.message : `stored data is damaged: ${e.message}`;
      }
    } else {
      reason = await olderFormatReason(dir);
    }
    if (reason) logger.warn(`index in ${dir} will be rebuilt: ${reason}`);
    if (writer) {
      if (reason) await discardDatabase(file);
      else if (found) await removeDamageNote(file, logger);
      await removeOlderFormats(dir, logger);
    }
    return new IndexStore(dir, options, found?.conn, found?.state, reason);
  }

  /** The stored header and files; undefined when nothing usable was committed yet. */
  get manifest(): IndexManifest | undefined {
    if (!this.state) return undefined;
    this.sorted ??= { ...this.state.meta, files: [...this.state.files.values()].sort((a, b) => comparePaths(a.path, b.path)) };
    return this.sorted;
  }

  /** The generation this store last read or committed (0 before the first commit). */
  get generation(): number {
    return this.state?.meta.generation ?? 0;
  }

  /** The stored rows of one file's chunks. */
  async readRows(range: ChunkRange): Promise<Float32Array> {
    if (range.count === 0) return new Float32Array(0);
    return this.connection().transaction('read', (db) => readFileRows(db, range.path, range.count, this.expect.dim));
  }

  /**
   * Reads every chunk (checking each row's checksum) in one transaction; chunks and rows in file order.
   * Damage found here is noted beside the database, so that the writer's next open checks it fully.
   */
  async load(): Promise<LoadedIndex> {
    if (!this.state) throw new IndexCorruptError('there is no index to load');
    let replaced: string | undefined;
    const loaded = await this.connection().transaction('read', (db) => {
      const header = readHeader(db);
      replaced = header ? headerMismatch(header, this.expect) : `${this.file} holds no index`;
      if (replaced || !header || !('meta' in header)) throw new IndexCorruptError(`${this.file} was replaced: ${replaced}`);
      return { meta: header.meta, files: header.files, ...readAllChunks(db, header.files, this.expect.dim) };
    }).catch(async (e: unknown) => {
      if (e instanceof IndexCorruptError && !replaced) await noteDamage(this.file, e.message, this.logger);
      throw e;
    });
    this.setState({ meta: loaded.meta, files: new Map(loaded.files.map((f) => [f.path, f])) });
    return { manifest: { ...loaded.meta, files: loaded.files }, chunks: loaded.chunks, rows: loaded.rows };
  }

  /** Commits the update as one transaction (the next generation). Returns the new manifest. */
  async commit(update: IndexUpdate): Promise<IndexManifest> {
    if (!this.options.lock) throw new Error(`the index in ${this.dir} was opened for reading; commits need the writer's lock`);
    this.conn ??= await StoreConnection.open(this.file, { role: 'writer', logger: this.logger, ...this.busyOption() });
    const before = this.state;
    const meta: IndexMeta = {
      formatVersion: INDEX_FORMAT_VERSION, ...this.expect, generation: (before?.meta.generation ?? 0) + 1,
      complete: update.complete, updatedAt: new Date().toISOString(), idf: update.idf,
    };
    const files = await this.conn.transaction('write', (db) => applyCommit(db, { before: before?.files, update, meta }));
    this.setState({ meta, files });
    return this.manifest as IndexManifest;
  }

  /** A named blob of another component (e.g. the centroid index) and the generation it was written at. */
  async readBlob(name: string): Promise<{ generation: number; data: Uint8Array } | undefined> {
    if (!this.conn || !this.state) return undefined;
    const row = await this.conn.transaction('read', (db) => readBlobRow(db, name));
    if (!row) return undefined;
    try {
      if (!Number.isSafeInteger(row.generation)) throw new IndexCorruptError(`blob ${name} has no generation`);
      return { generation: row.generation as number, data: decodeCheckedBlob(row.data, BLOB_TAG, `blob ${name}`).slice() };
    } catch (e) {
      if (!(e instanceof IndexCorruptError)) throw e;
      this.logger.warn(`ignoring a damaged blob in ${this.file}: ${e.message}`);
      return undefined;
    }
  }

  /** Stores a named blob, stamped with `generation` (default: the generation this store last read or committed). */
  async writeBlob(name: string, data: Uint8Array, generation = this.generation): Promise<void> {
    if (!this.conn || !this.state) throw new Error(`there is no index in ${this.dir} to keep ${name} with`);
    const blob = encodeCheckedBlob(BLOB_TAG, data);
    await this.conn.transaction('write', (db) => writeBlobRow(db, name, generation, blob));
  }

  /** Closes the database; the store cannot be used after. */
  close(): void {
    this.conn?.close();
    this.conn = undefined;
  }

  private connection(): StoreConnection {
    if (!this.conn) throw new IndexCorruptError(`${this.file} is not open`);
    return this.conn;
  }

  private setState(state: StoreState): void {
    this.state = state;
    this.sorted = undefined;
  }

  private busyOption(): { busyTimeoutMs?: number } {
    return this.options.busyTimeoutMs !== undefined ? { busyTimeoutMs: this.options.busyTimeoutMs } : {};
  }
}
