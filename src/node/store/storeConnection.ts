/**
 * One connection to the index database (SQLite compiled to WebAssembly, `node-sqlite3-wasm`, rollback
 * journal), and the transactions the store runs on it, made safe against the crashes of other processes.
 *
 * The package's VFS locks with one directory, `<db>.lock`, for every lock level: readers and the writer
 * exclude each other (readers too, one another) for the length of one transaction. Each transaction therefore:
 *  - retries with a short backoff while another process holds the lock (bounded: DatabaseBusyError);
 *  - removes the lock directory when its owner is gone: a SIGKILLed process leaves it behind, and every
 *    later open would fail with "database is locked" forever. It is stale when no writer holds the index's
 *    pid lock (indexLock.ts; the writer itself holds it) and no reader is announced (readerRegistry.ts);
 *  - rolls back a hot journal first (hotJournal.ts), since this VFS never lets SQLite see one as hot;
 *  - runs `PRAGMA quick_check` once after such a recovery, or when the caller asks (a takeover, --verify).
 * SQLite's corruption errors become IndexCorruptError; other errors name the database file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from 'node-sqlite3-wasm';
import type { Logger } from '../../common/log.ts';
import { recoverHotJournal } from './hotJournal.ts';
import { IndexCorruptError } from './indexCorruptError.ts';
import { liveWriter } from './indexLock.ts';
import { ReaderRegistry } from './readerRegistry.ts';

export type StoreRole = 'reader' | 'writer';

export interface ConnectionOptions {
  readonly role: StoreRole;
  readonly logger: Logger;
  /**
   * Give up after waiting this long for other processes' transactions. Default: 30 s for a reader (a commit
   * is one checkpoint batch), 120 s for the writer (a reader's load of a large index holds the lock throughout).
   */
  readonly busyTimeoutMs?: number;
  /** Run `PRAGMA quick_check` in the first transaction. */
  readonly check?: boolean;
}

export class DatabaseBusyError extends Error {
  constructor(file: string, ms: number) {
    super(`${file} stayed locked by another process for ${Math.round(ms)} ms (an index update or a search in another window); try again`);
    this.name = 'DatabaseBusyError';
  }
}

const CORRUPT = /malformed|file is not a database/;
const BUSY = 'database is locked';
const MAX_WAIT_STEP_MS = 200;
/** Set on the first transaction (they read the file): page_size applies when the first table is created,
 * and 16 KiB pages hold a chunk row with its vector without overflow pages. */
const PRAGMAS = 'PRAGMA page_size = 16384; PRAGMA cache_size = -16384; PRAGMA synchronous = FULL; PRAGMA secure_delete = FAST';

let sqlite: Promise<typeof import('node-sqlite3-wasm')> | undefined;

/** Loads the SQLite wasm module once, on the first open (it costs ~100 ms, which most commands never need). */
function loadSqlite(): Promise<typeof import('node-sqlite3-wasm')> {
  sqlite ??= import('node-sqlite3-wasm').then((m) => m.default);
  return sqlite;
}

function isSqliteError(e: unknown): e is Error {
  return e instanceof Error && e.name === 'SQLite3Error';
}

export class StoreConnection {
  readonly file: string;
  private readonly db: Database;
  private readonly role: StoreRole;
  private readonly logger: Logger;
  private readonly registry: ReaderRegistry;
  private readonly busyTimeoutMs: number;
  private needsCheck: boolean;
  private configured = false;

  private constructor(file: string, db: Database, options: ConnectionOptions) {
    this.file = file;
    this.db = db;
    this.role = options.role;
    this.logger = options.logger;
    this.registry = new ReaderRegistry(path.dirname(file));
    this.busyTimeoutMs = options.busyTimeoutMs ?? (options.role === 'writer' ? 120_000 : 30_000);
    this.needsCheck = options.check === true;
  }

  /** Opens (a writer creates the file); reads nothing yet, so it takes no lock. */
  static async open(file: string, options: ConnectionOptions): Promise<StoreConnection> {
    const { Database } = await loadSqlite();
    let db: Database;
    try {
      db = new Database(file, { fileMustExist: options.role === 'reader' });
    } catch (e) {
      throw new Error(`cannot open the index database ${file}: ${(e as Error).message}`, { cause: e });
    }
    return new StoreConnection(file, db, options);
  }

  /** Runs `fn` in one transaction ('write': BEGIN IMMEDIATE), waiting out and recovering locks as above. */
  async transaction<T>(mode: 'read' | 'write', fn: (db: Database) => T): Promise<T> {
    const started = performance.now();
    let wait = 5;
    for (;;) {
      const done = this.attempt(mode, fn);
      if (done) return done.value;
      if (this.removeStaleLock()) continue;
      const waited = performance.now() - started;
      if (waited > this.busyTimeoutMs) throw new DatabaseBusyError(this.file, waited);
      await sleep(wait);
      wait = Math.min(wait * 2, MAX_WAIT_STEP_MS);
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /** One try; undefined when another process holds the database. */
  private attempt<T>(mode: 'read' | 'write', fn: (db: Database) => T): { value: T } | undefined {
    const leave = this.role === 'reader' ? this.registry.enter() : undefined;
    try {
      const journal = recoverHotJournal(this.file);
      if (journal === 'busy') return undefined;
      if (journal === 'rolledBack') {
        this.logger.warn(`rolled back ${this.file}-journal, left by a process that died while committing`);
        this.needsCheck = true;
      }
      if (!this.configured) {
        this.db.exec(PRAGMAS);
        this.configured = true;
      }
      this.db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
      try {
        if (this.needsCheck) this.quickCheck();
        const value = fn(this.db);
        this.db.exec('COMMIT');
        return { value };
      } catch (e) {
        this.rollback();
        throw e;
      }
    } catch (e) {
      if (isSqliteError(e) && e.message === BUSY) return undefined;
      throw this.translate(e);
    } finally {
      leave?.();
    }
  }

  private rollback(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch {
      // the transaction is gone with the error that ended it (SQLite rolls back on I/O errors itself)
    }
  }

  private quickCheck(): void {
    const started = performance.now();
    const rows = this.db.all('PRAGMA quick_check').map((r) => String(Object.values(r)[0]));
    if (rows.length !== 1 || rows[0] !== 'ok') throw new IndexCorruptError(`${this.file} fails its integrity check: ${rows.slice(0, 3).join('; ')}`);
    this.needsCheck = false;
    this.logger.info(`checked ${this.file} in ${Math.round(performance.now() - started)} ms`);
  }

  private translate(e: unknown): unknown {
    if (!isSqliteError(e)) return e;
    if (CORRUPT.test(e.message)) return new IndexCorruptError(`${this.file}: ${e.message}`);
    return new Error(`${this.file}: ${e.message}`, { cause: e });
  }

  /**
   * Removes `<db>.lock` when no live process can own it: no live writer (the writer itself asks only about
   * readers) and no announced reader. The directory must be the same one before and after those checks.
   */
  private removeStaleLock(): boolean {
    const lock = `${this.file}.lock`;
    const seen = fs.statSync(lock, { throwIfNoEntry: false });
    if (!seen) return false;
    if (this.role === 'reader' && liveWriter(path.dirname(this.file)) !== undefined) return false;
    if (this.registry.anyLive()) return false;
    const now = fs.statSync(lock, { throwIfNoEntry: false });
    if (!now || now.ino !== seen.ino || now.birthtimeMs !== seen.birthtimeMs || now.mtimeMs !== seen.mtimeMs) return false;
    try {
      fs.rmdirSync(lock);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new Error(`cannot remove the stale lock ${lock}: ${(e as Error).message}`, { cause: e });
    }
    this.logger.warn(`removed ${lock}, a lock left by a process that ended`);
    this.needsCheck = true;
    return true;
  }
}
