/**
 * Compares the stored manifest with a fresh scan: files whose content hash is unchanged keep their chunks
 * (even when their mtime moved), new and changed files are work, and files no longer scanned are removed.
 */
import type { ScannedFile } from '../../common/scan/scannedFile.ts';
import type { FileEntry } from '../store/indexManifest.ts';
import type { UpdatedFile } from '../store/indexStore.ts';

export interface WorkItem {
  readonly file: ScannedFile;
  /** The stored entry of a changed file (its rows leave the IDF counts when it is re-chunked). */
  readonly old?: FileEntry;
}

export interface IndexPlan {
  /** The files of the next manifest as far as known now: kept files, and old entries of changed ones. */
  readonly records: Map<string, UpdatedFile>;
  readonly work: WorkItem[];
  readonly removed: FileEntry[];
  readonly reused: number;
  /** Some kept file's size or mtime changed: the manifest must be rewritten, the chunks need not. */
  readonly statsChanged: boolean;
}

export function entryToRecord(e: FileEntry): UpdatedFile {
  return {
    path: e.path, size: e.size, mtimeMs: e.mtimeMs, hash: e.hash,
    ...(e.skip ? { skip: e.skip } : {}),
    range: { path: e.path, count: e.count },
  };
}

export function planIndexUpdate(stored: readonly FileEntry[], scanned: readonly ScannedFile[]): IndexPlan {
  const before = new Map(stored.map((e) => [e.path, e]));
  const records = new Map<string, UpdatedFile>();
  const work: WorkItem[] = [];
  let reused = 0;
  let statsChanged = false;
  for (const file of scanned) {
    const old = before.get(file.path);
    before.delete(file.path);
    if (old && old.hash === file.hash) {
      reused++;
      if (old.size !== file.size || old.mtimeMs !== file.mtimeMs) statsChanged = true;
      records.set(file.path, { ...entryToRecord(old), size: file.size, mtimeMs: file.mtimeMs });
    } else {
      if (old) records.set(file.path, entryToRecord(old));
      work.push(old ? { file, old } : { file });
    }
  }
  return { records, work, removed: [...before.values()], reused, statsChanged };
}
