/**
 * The writes of one commit, run inside its transaction: new and changed files get their chunks replaced,
 * kept files only a new stats row when size or mtime moved, files not in the update are deleted, and the
 * header is rewritten with the next generation. Returns the files of the index after the commit.
 */
import type { Database } from 'node-sqlite3-wasm';
import type { FileEntry, IndexMeta } from './indexManifest.ts';
import type { IndexUpdate, UpdatedFile } from './indexStore.ts';
import { TableWriter, createTables, writeMeta } from './indexTables.ts';

export interface CommitInput {
  /** The stored files before the commit; undefined for a new database (the tables are created). */
  readonly before: ReadonlyMap<string, FileEntry> | undefined;
  readonly update: IndexUpdate;
  readonly meta: IndexMeta;
}

function entryOf(f: UpdatedFile, count: number): FileEntry {
  return { path: f.path, size: f.size, mtimeMs: f.mtimeMs, hash: f.hash, count, ...(f.skip ? { skip: f.skip } : {}) };
}

function sameEntry(a: FileEntry, b: FileEntry): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.hash === b.hash && a.skip === b.skip && a.count === b.count;
}

export function applyCommit(db: Database, input: CommitInput): Map<string, FileEntry> {
  const { before, update, meta } = input;
  if (!before) createTables(db);
  const after = new Map<string, FileEntry>();
  const out = new TableWriter(db, meta.dim);
  try {
    for (const f of update.files) {
      if (after.has(f.path)) throw new Error(`${f.path} appears twice in one commit`);
      const old = before?.get(f.path);
      let entry: FileEntry;
      if (f.chunks === undefined && f.range) {
        if (old?.count !== f.range.count) throw new Error(`kept file ${f.path} has ${old?.count ?? 'no'} stored chunks, not ${f.range.count}`);
        entry = entryOf(f, old.count);
        if (!sameEntry(old, entry)) out.putFile(entry);
      } else {
        const chunks = f.chunks ?? [];
        out.replaceChunks(f.path, chunks, f.rows, (old?.count ?? 0) > 0);
        entry = entryOf(f, chunks.length);
        out.putFile(entry);
      }
      after.set(f.path, entry);
    }
    for (const path of before?.keys() ?? []) if (!after.has(path)) out.deleteFile(path);
  } finally {
    out.finish();
  }
  writeMeta(db, meta);
  return after;
}
