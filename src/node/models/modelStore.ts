import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MANIFEST_FILE, parseManifest } from '../../common/models/modelManifest.ts';
import type { ModelManifest } from '../../common/models/modelManifest.ts';
import { ModelDownloadError } from '../../common/models/modelErrors.ts';

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

/** Writes JSON through a temporary file and a rename, so readers never see half of it. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await fs.rename(tmp, file);
}

/**
 * Takes the download lock of a `.partial` folder (one pull per folder at a time). A lock left by a
 * process that no longer runs is taken over. Returns the release function.
 */
export async function lockPartialDir(partialDir: string): Promise<() => Promise<void>> {
  const lock = path.join(partialDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rm(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(await fs.readFile(lock, 'utf8').catch(() => ''));
      if (pid > 0 && isRunning(pid)) {
        throw new ModelDownloadError('LOCKED', `Another squeeze process (pid ${pid}) is downloading into ${partialDir}. Wait for it, or stop it and retry.`);
      }
      await fs.rm(lock, { force: true });
    }
  }
  throw new ModelDownloadError('LOCKED', `Could not lock ${partialDir}.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const LOCK_FILE_NAME = LOCK_FILE;
