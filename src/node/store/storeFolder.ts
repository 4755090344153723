/**
 * Files around the database: deleting an unusable one (with its journal, which belongs to it alone), and
 * the folders of older store formats (`index-v1`: JSONL segments and a manifest), which are never read.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../common/log.ts';
import { liveLockHolder } from '../fs/pidLock.ts';
import { INDEX_FORMAT_VERSION } from './indexManifest.ts';
import { WRITER_LOCK_FILE } from './indexLock.ts';

/** Deletes the database file, its rollback journal and any damage note; the next commit creates a new database. */
export async function discardDatabase(file: string): Promise<void> {
  await fs.rm(file, { force: true });
  await fs.rm(`${file}-journal`, { force: true });
  await fs.rm(damageNoteFile(file), { force: true });
}

const damageNoteFile = (file: string) => `${file}.damaged`;

/** A reader found damage: leaves the reason beside the database for the writer (best effort; readers change no data). */
export async function noteDamage(file: string, reason: string, logger: Logger): Promise<void> {
  logger.warn(`${file} is damaged (${reason}); the next indexing run checks it and rebuilds it`);
  await fs.writeFile(damageNoteFile(file), `${reason}\n`).catch(() => undefined);
}

export async function readDamageNote(file: string): Promise<string | undefined> {
  return fs.readFile(damageNoteFile(file), 'utf8').catch(() => undefined);
}

/** After a full check found the database whole: the note was about something already repaired. */
export async function removeDamageNote(file: string, logger: Logger): Promise<void> {
  const note = await readDamageNote(file);
  if (note === undefined) return;
  logger.info(`${file} passed a full check after a reader reported: ${note.trim()}`);
  await fs.rm(damageNoteFile(file), { force: true });
}

/** Sibling folders `index-v<k>` of the store folder with k below the current format. */
async function olderFormatFolders(storeDir: string): Promise<{ dir: string; version: number }[]> {
  const parent = path.dirname(storeDir);
  const names = await fs.readdir(parent).catch(() => [] as string[]);
  return names.flatMap((name) => {
    const m = /^index-v(\d+)$/.exec(name);
    const version = m ? Number(m[1]) : NaN;
    return version < INDEX_FORMAT_VERSION ? [{ dir: path.join(parent, name), version }] : [];
  });
}

/** Why there is no index yet when an older format's folder is there (that index is rebuilt, never read). */
export async function olderFormatReason(storeDir: string): Promise<string | undefined> {
  const older = await olderFormatFolders(storeDir);
  const newest = Math.max(...older.map((o) => o.version));
  return older.length > 0 ? `index format ${newest} differs from ${INDEX_FORMAT_VERSION}` : undefined;
}

/** Removes older formats' folders, except one a live process of an older version still writes. */
export async function removeOlderFormats(storeDir: string, logger: Logger): Promise<void> {
  for (const { dir, version } of await olderFormatFolders(storeDir)) {
    const pid = liveLockHolder(path.join(dir, WRITER_LOCK_FILE));
    if (pid !== undefined) {
      logger.info(`kept ${dir} (format ${version}): process ${pid} still writes it`);
      continue;
    }
    await fs.rm(dir, { recursive: true, force: true });
    logger.info(`removed ${dir}, an index of the older format ${version}`);
  }
}
