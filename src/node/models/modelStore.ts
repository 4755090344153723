import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MANIFEST_FILE, parseManifest } from '../../common/models/modelManifest.ts';
import type { ModelManifest } from '../../common/models/modelManifest.ts';
import { ModelDownloadError } from '../../common/models/modelErrors.ts';
import { writeFileAtomic } from '../fs/atomicFile.ts';
import { acquirePidLock } from '../fs/pidLock.ts';

/** Where downloaded model folders live, and what is installed there. */

export const PARTIAL_SUFFIX = '.partial';
const LOCK_FILE = '.squeeze-download.lock';

/** `SQUEEZE_MODELS_DIR`, else `$XDG_CACHE_HOME/squeeze/models`, else `~/.cache/squeeze/models`. */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SQUEEZE_MODELS_DIR) return path.resolve(env.SQUEEZE_MODELS_DIR);
  const cache = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(cache, 'squeeze', 'models');
}

export async function readManifestIn(dir: string): Promise<ModelManifest | undefined> {
  try {
    return parseManifest(await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

export interface InstalledModel {
  readonly dir: string;
  readonly manifest: ModelManifest;
}

export interface ModelsDirListing {
  readonly installed: readonly InstalledModel[];
  /** Folder names with an unfinished download (`<name>.partial`), resumable by pulling again. */
  readonly partial: readonly string[];
}

export async function listModelsDir(modelsDir: string): Promise<ModelsDirListing> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(modelsDir, { withFileTypes: true });
  } catch {
    return { installed: [], partial: [] };
  }
  const installed: InstalledModel[] = [];
  const partial: string[] = [];
  for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.endsWith(PARTIAL_SUFFIX)) {
      partial.push(e.name.slice(0, -PARTIAL_SUFFIX.length));
      continue;
    }
    const dir = path.join(modelsDir, e.name);
    const manifest = await readManifestIn(dir);
    if (manifest) installed.push({ dir, manifest });
  }
  return { installed, partial };
}

/** Writes JSON crash-safely (temporary file, fsync, rename), so readers never see half of it. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, [`${JSON.stringify(value, null, 2)}\n`]);
}

/**
 * Takes the download lock of a `.partial` folder (one pull per folder at a time). A lock left by a
 * process that no longer runs is taken over. Returns the release function.
 */
export async function lockPartialDir(partialDir: string): Promise<() => Promise<void>> {
  const lock = await acquirePidLock(path.join(partialDir, LOCK_FILE), 2);
  if (lock.kind === 'busy') {
    throw new ModelDownloadError('LOCKED', `Another squeeze process (pid ${lock.pid}) is downloading into ${partialDir}. Wait for it, or stop it and retry.`);
  }
  if (lock.kind === 'contended') throw new ModelDownloadError('LOCKED', `Could not lock ${partialDir}.`);
  return lock.release;
}

export const LOCK_FILE_NAME = LOCK_FILE;
