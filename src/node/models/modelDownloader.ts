import fs from 'node:fs/promises';
import path from 'node:path';
import type { CancellationToken } from '../../common/cancellation.ts';
import { throwIfCancelled } from '../../common/cancellation.ts';
import type { Logger } from '../../common/log.ts';
import { NULL_LOGGER } from '../../common/log.ts';
import { catalogFileUrl, DEFAULT_MODEL_MIRROR, findCatalogEntry, MODEL_CATALOG } from '../../common/models/modelCatalog.ts';
import type { CatalogEntry, CatalogFile } from '../../common/models/modelCatalog.ts';
import { MANIFEST_FILE, MANIFEST_VERSION } from '../../common/models/modelManifest.ts';
import type { ManifestFile, ModelManifest } from '../../common/models/modelManifest.ts';
import { ModelDownloadError } from '../../common/models/modelErrors.ts';
import { RateMeter } from '../../common/models/rateMeter.ts';
import { downloadFile } from './fileDownload.ts';
import { defaultModelsDir, lockPartialDir, LOCK_FILE_NAME, PARTIAL_SUFFIX, readManifestIn, writeJsonAtomic } from './modelStore.ts';

/**
 * `squeeze models pull <name>`: downloads a catalog model into `<dest>.partial/`, file by file
 * (resumable, checksummed), writes the manifest last, then renames the folder into place. A folder
 * without `squeeze-model.json` is never a finished download.
 */
export interface PullProgress {
  readonly model: string;
  readonly file: string;
  readonly fileIndex: number;
  readonly fileCount: number;
  readonly fileBytes: number;
  readonly fileTotal: number | undefined;
  /** Bytes of this model on disk so far, resumed parts included. */
  readonly bytes: number;
  /** The catalog's estimate of the whole model. */
  readonly approxTotal: number;
  readonly bytesPerSecond: number;
}

export interface PullOptions {
  /** The model folder; default `<modelsDir>/<name>`. */
  readonly dest?: string;
  readonly modelsDir?: string;
  /** Base URL with the hub's `/<repo>/resolve/<revision>/<file>` layout; default `SQUEEZE_MODEL_MIRROR` or huggingface.co. */
  readonly mirror?: string;
  /** Download again even when the folder already holds this model. */
  readonly force?: boolean;
  readonly token?: CancellationToken;
  readonly onProgress?: (p: PullProgress) => void;
  readonly logger?: Logger;
  /** No data for this long fails the transfer (resumable). Default 60 s. */
  readonly idleTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => number;
}

export interface PullResult {
  readonly dir: string;
  readonly manifest: ModelManifest;
  readonly alreadyInstalled: boolean;
}

const STATE_FILE = '.squeeze-download.json';

interface DownloadState {
  readonly repo: string;
  readonly revision: string;
  readonly source: string;
  readonly files: Record<string, ManifestFile | 'missing'>;
}

export function resolveCatalogEntry(name: string): CatalogEntry {
  const entry = findCatalogEntry(name);
  if (entry) return entry;
  const known = MODEL_CATALOG.map((e) => e.name).join(', ');
  throw new ModelDownloadError('UNKNOWN_MODEL', `Unknown model "${name}". Available: ${known}.`);
}

export function resolveMirror(options: Pick<PullOptions, 'mirror' | 'env'>): string {
  const raw = options.mirror ?? (options.env ?? process.env).SQUEEZE_MODEL_MIRROR ?? DEFAULT_MODEL_MIRROR;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    throw new ModelDownloadError('NETWORK_ERROR', `The model mirror "${raw}" is not an http(s) URL without credentials (SQUEEZE_MODEL_MIRROR / --mirror).`);
  }
  return raw.replace(/\/+$/, '');
}

export async function pullModel(model: string | CatalogEntry, options: PullOptions = {}): Promise<PullResult> {
  const entry = typeof model === 'string' ? resolveCatalogEntry(model) : model;
  const source = resolveMirror(options);
  const dest = path.resolve(options.dest ?? path.join(options.modelsDir ?? defaultModelsDir(options.env), entry.name));
  const existing = await readManifestIn(dest);
  if (existing && existing.name === entry.name && !options.force) return { dir: dest, manifest: existing, alreadyInstalled: true };
  await assertReplaceable(dest, existing !== undefined);
  const partial = dest + PARTIAL_SUFFIX;
  await fs.mkdir(partial, { recursive: true });
  const release = await lockPartialDir(partial);
  try {
    const log = options.logger ?? NULL_LOGGER;
    log.info(`Downloading ${entry.name} (${entry.repo}@${entry.revision}) from ${source} into ${partial}`);
    const state = await loadState(partial, entry, source);
    await fetchAll(entry, { partial, state, source, options });
    const manifest = buildManifest(entry, state, source);
    await writeJsonAtomic(path.join(partial, MANIFEST_FILE), manifest);
    await fs.rm(path.join(partial, STATE_FILE), { force: true });
    await release();
    await swapIntoPlace(partial, dest);
    log.info(`Installed ${entry.name} in ${dest}`);
    return { dir: dest, manifest, alreadyInstalled: false };
  } finally {
    await release();
    await fs.rmdir(partial).catch(() => undefined); // only succeeds when nothing was downloaded
  }
}

interface FetchContext {
  readonly partial: string;
  readonly state: DownloadState;
  readonly source: string;
  readonly options: PullOptions;
}

async function fetchAll(entry: CatalogEntry, ctx: FetchContext): Promise<void> {
  const meter = new RateMeter();
  const now = ctx.options.now ?? Date.now;
  let doneBytes = 0;
  for (const [index, file] of entry.files.entries()) {
    throwIfCancelled(ctx.options.token);
    const prior = ctx.state.files[file.path];
    if (prior !== undefined && (prior === 'missing' || (await sizeMatches(path.join(ctx.partial, file.path), prior.size)))) {
      doneBytes += prior === 'missing' ? 0 : prior.size;
      continue;
    }
    const report = (delta: number, received: number, total: number | undefined) => {
      meter.add(delta, now());
      ctx.options.onProgress?.({
        model: entry.name, file: file.path, fileIndex: index, fileCount: entry.files.length, fileBytes: received, fileTotal: total,
        bytes: doneBytes + received, approxTotal: entry.approxBytes, bytesPerSecond: meter.rate(),
      });
    };
    const result = await fetchOne(entry, file, ctx, report);
    ctx.state.files[file.path] = result;
    if (result !== 'missing') doneBytes += result.size;
    await writeJsonAtomic(path.join(ctx.partial, STATE_FILE), ctx.state);
  }
}

async function fetchOne(entry: CatalogEntry, file: CatalogFile, ctx: FetchContext, onBytes: (d: number, r: number, t: number | undefined) => void): Promise<ManifestFile | 'missing'> {
  const r = await downloadFile({
    url: catalogFileUrl(ctx.source, entry, file.path),
    label: file.path,
    finalPath: path.join(ctx.partial, ...file.path.split('/')),
    ...(file.sha256 !== undefined ? { expectedSha256: file.sha256 } : {}),
    ...(file.size !== undefined ? { expectedSize: file.size } : {}),
    ...(file.optional ? { optional: true } : {}),
    ...(ctx.options.token ? { token: ctx.options.token } : {}),
    idleTimeoutMs: ctx.options.idleTimeoutMs ?? 60_000,
    onBytes,
  });
  if (r.status === 'missing') return 'missing';
  return { path: file.path, size: r.size, sha256: r.sha256, verifiedBy: r.verifiedBy };
}

async function loadState(partial: string, entry: CatalogEntry, source: string): Promise<DownloadState> {
  const fresh: DownloadState = { repo: entry.repo, revision: entry.revision, source, files: {} };
  let old: DownloadState | undefined;
  try {
    old = JSON.parse(await fs.readFile(path.join(partial, STATE_FILE), 'utf8')) as DownloadState;
  } catch {
    old = undefined;
  }
  if (old && old.repo === entry.repo && old.revision === entry.revision && old.source === source && typeof old.files === 'object') return old;
  // Another model or source left this folder: start clean (keep only our lock).
  for (const name of await fs.readdir(partial)) {
    if (name !== LOCK_FILE_NAME) await fs.rm(path.join(partial, name), { recursive: true, force: true });
  }
  return fresh;
}

function buildManifest(entry: CatalogEntry, state: DownloadState, source: string): ModelManifest {
  const files: ManifestFile[] = [];
  const skipped: string[] = [];
  for (const f of entry.files) {
    const s = state.files[f.path];
    if (s === 'missing' || s === undefined) skipped.push(f.path);
    else files.push(s);
  }
  const { name, title, role, repo, revision } = entry;
  return { version: MANIFEST_VERSION, name, title, role, repo, revision, source, files, skipped, completedAt: new Date().toISOString() };
}

async function sizeMatches(file: string, size: number): Promise<boolean> {
  return fs.stat(file).then((s) => s.size === size, () => false);
}

/** Refuses to replace a folder that is neither empty nor a squeeze model folder. */
async function assertReplaceable(dest: string, isOurs: boolean): Promise<void> {
  if (isOurs) return;
  const entries = await fs.readdir(dest).catch(() => undefined);
  if (entries && entries.length > 0) {
    throw new ModelDownloadError('DESTINATION_NOT_OURS', `${dest} exists and is not a squeeze model folder (no ${MANIFEST_FILE}). Choose another --dest or remove it.`);
  }
}

/** Renames the finished `.partial` folder to `dest`, moving an older copy aside first. */
async function swapIntoPlace(partial: string, dest: string): Promise<void> {
  const old = await fs.stat(dest).then(() => `${dest}.old-${process.pid}-${Date.now()}`, () => undefined);
  if (old) await fs.rename(dest, old);
  await fs.rename(partial, dest);
  if (old) await fs.rm(old, { recursive: true, force: true });
}
