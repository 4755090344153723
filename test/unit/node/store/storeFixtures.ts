/** Shared data of the store tests: a 4-dimensional expectation, chunks, files, and a writer's open. */
import fs from 'node:fs';
import path from 'node:path';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import type { Logger } from '../../../../src/common/log.ts';
import { acquireIndexLock, type IndexLock } from '../../../../src/node/store/indexLock.ts';
import { IndexStore, type UpdatedFile } from '../../../../src/node/store/indexStore.ts';
import { tempDirMaker } from '../../reliability/tempDirs.ts';

export const DIM = 4;
export const EXPECT = { encoderId: 'test-v1-d4', dim: DIM, chunker: 'fake-v1', chunkTokens: 256 };

const mkTemp = tempDirMaker();

/** A fresh folder, removed when the test file ends; the store lives in its `index-v2` subfolder. */
export function tempStoreDir(): string {
  return path.join(mkTemp('squeeze-store-'), 'index-v2');
}

export function chunk(p: string, i: number, pad = 0): Chunk {
  const text = `line ${i} of ${p}\n${'x'.repeat(pad)}`;
  return { path: p, language: 'plaintext', span: { start: 0, end: text.length }, startLine: i + 1, endLine: i + 1, symbolPath: [], text, definitions: [], parser: 'lines' };
}

export function newFile(p: string, n: number, seed: number, pad = 0): UpdatedFile {
  const chunks = Array.from({ length: n }, (_, i) => chunk(p, i, pad));
  const rows = Float32Array.from({ length: n * DIM }, (_, i) => seed + i / 10);
  return { path: p, size: 10 * n, mtimeMs: 1000 + seed, hash: `h-${p}-${seed}`, chunks, rows };
}

export function kept(e: { path: string; size: number; mtimeMs: number; hash: string; count: number }): UpdatedFile {
  return { path: e.path, size: e.size, mtimeMs: e.mtimeMs, hash: e.hash, range: { path: e.path, count: e.count } };
}

/** Opens the store as its writer (taking the pid lock); `done()` closes it and releases the lock. */
export async function openWriter(dir: string, extra: { logger?: Logger; chunkTokens?: number } = {}): Promise<{ store: IndexStore; lock: IndexLock; done(): Promise<void> }> {
  fs.mkdirSync(dir, { recursive: true });
  const lock = await acquireIndexLock(dir);
  const store = await IndexStore.open(dir, { ...EXPECT, ...extra, lock });
  return { store, lock, done: async () => (store.close(), await lock.release()) };
}

/** Opens as a reader, runs `fn`, closes. */
export async function withReader<T>(dir: string, fn: (store: IndexStore) => Promise<T> | T, extra: { logger?: Logger; verifyChecksums?: boolean; busyTimeoutMs?: number } = {}): Promise<T> {
  const store = await IndexStore.open(dir, { ...EXPECT, ...extra });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

export const paths = (chunks: readonly Chunk[]) => chunks.map((c) => `${c.path}:${c.startLine}`);

/** Runs one statement on the database file directly (outside the store) and returns its rows. */
export async function rawQuery(file: string, sql: string, params: (string | number | Uint8Array | null)[] = []): Promise<Record<string, unknown>[]> {
  const { Database } = (await import('node-sqlite3-wasm')).default;
  const db = new Database(file, { fileMustExist: true });
  try {
    return db.all(sql, params);
  } finally {
    db.close();
  }
}
