/**
 * Walks a repository and lists the files to index, with their size, mtime and content hash, and every
 * file or directory it skipped, with the reason. Directories are walked depth-first in name order, one
 * at a time; file reads run in a bounded pool. Rules: ignore files first, then names (secrets before
 * anything is read), then size, then content. See DESIGN.md "Scan".
 */
import path from 'node:path';
import { throwIfCancelled, type CancellationToken } from '../../common/cancellation.ts';
import { NULL_LOGGER, scopedLogger, type Logger } from '../../common/log.ts';
import type { ScannedFile, SkippedFile } from '../../common/scan/scannedFile.ts';
import { IgnoreRules } from './ignoreRules.ts';
import { NODE_SCAN_FS, type ScanDirEntry, type ScanFileSystem } from './scanFileSystem.ts';
import { ScanCollector } from './scanCollector.ts';
import { TaskPool } from './taskPool.ts';
import { visitEntry, type DirectoryToScan, type WalkContext } from './entryVisitor.ts';

export const DEFAULT_MAX_FILE_BYTES = 1_000_000;
export const DEFAULT_READ_CONCURRENCY = 16;

export interface ScanProgress {
  /** File entries reached so far, skipped ones included. */
  readonly seen: number;
  /** The file just reached, before it is stat'ed or read. */
  readonly path: string;
}

export interface ScanOptions {
  /** Files larger than this are skipped as TOO_LARGE without being read. Default 1,000,000. */
  maxFileBytes?: number;
  /** Gitignore-style patterns relative to the root (e.g. from `files.exclude`), highest precedence. */
  extraExcludes?: readonly string[];
  logger?: Logger;
  token?: CancellationToken;
  /** The files of the last scan: a file whose size and mtimeMs are unchanged is not read again. */
  previous?: ReadonlyMap<string, ScannedFile>;
  /** Called once per file entry, before it is stat'ed or read; throttle in the caller if needed. */
  onProgress?: (p: ScanProgress) => void;
  /** The file system; tests inject one to count reads or to fail on purpose. */
  fs?: ScanFileSystem;
  /** At most this many files are stat'ed and read at once. Default 16. */
  readConcurrency?: number;
  /** Ignore patterns match case-insensitively; default: true on macOS and Windows. */
  ignoreCase?: boolean;
}

export interface ScanResult {
  /** Sorted by path. */
  files: ScannedFile[];
  /** Sorted by path; directory paths end with '/'. */
  skipped: SkippedFile[];
  /** Paths whose content was read and hashed in this scan (new or size/mtime changed), sorted. */
  rehashed: string[];
}

/** Scans `root`. Throws CancellationError when the token fires; other failures skip one file or directory. */
export async function scanRepository(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const started = Date.now();
  const logger = scopedLogger(options.logger ?? NULL_LOGGER, 'scan');
  const fs = options.fs ?? NODE_SCAN_FS;
  const rootPath = path.resolve(root);
  const rootReal = await fs.realpath(rootPath);
  const ctx: WalkContext = {
    fs,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    previous: options.previous,
    out: new ScanCollector(logger),
    pool: new TaskPool(options.readConcurrency ?? DEFAULT_READ_CONCURRENCY),
    token: options.token,
    rootReal,
    progress: { seen: 0, report: options.onProgress },
  };
  try {
    await walk(ctx, rootPath, options, logger);
    await ctx.pool.drain();
  } finally {
    await ctx.pool.settle();
  }
  logger.info(ctx.out.summary(Date.now() - started));
  return ctx.out.result();
}

interface PendingDirectory {
  readonly dir: DirectoryToScan;
  /** The ignore rules of its parent; its own ignore files are added once its entries are known. */
  readonly parentRules: IgnoreRules;
}

async function walk(ctx: WalkContext, rootPath: string, options: ScanOptions, logger: Logger): Promise<void> {
  throwIfCancelled(ctx.token);
  const rootEntries = sortByName(await ctx.fs.readdir(rootPath));
  const rules = await IgnoreRules.forRoot(
    rootPath,
    rootEntries.map((e) => e.name),
    { extraPatterns: options.extraExcludes ?? [], ignoreCase: options.ignoreCase, fs: ctx.fs, logger },
  );
  const root: DirectoryToScan = { path: '', absolutePath: rootPath, chain: { real: ctx.rootReal } };
  const stack = await visitEntries(ctx, root, rootEntries, rules);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    throwIfCancelled(ctx.token);
    stack.push(...(await visitDirectory(ctx, next)));
  }
}

/** Reads one directory and visits its entries; returns its subdirectories, last one first. */
async function visitDirectory(ctx: WalkContext, pending: PendingDirectory): Promise<PendingDirectory[]> {
  const { dir } = pending;
  let entries: ScanDirEntry[];
  try {
    entries = sortByName(await ctx.fs.readdir(dir.absolutePath));
  } catch (e) {
    ctx.out.skipFsError(`${dir.path}/`, e);
    return [];
  }
  const names = entries.map((e) => e.name);
  return visitEntries(ctx, dir, entries, await pending.parentRules.withDirectory(dir.path, names));
}

/** Visits the entries of one directory in order; returns its subdirectories, last one first. */
async function visitEntries(
  ctx: WalkContext,
  dir: DirectoryToScan,
  entries: readonly ScanDirEntry[],
  rules: IgnoreRules,
): Promise<PendingDirectory[]> {
  const siblingNames = entries.map((e) => e.name);
  const subdirectories: PendingDirectory[] = [];
  for (const entry of entries) {
    throwIfCancelled(ctx.token);
    const sub = await visitEntry(ctx, { dir, entry, rules, siblingNames });
    if (sub !== undefined) subdirectories.push({ dir: sub, parentRules: rules });
  }
  return subdirectories.reverse();
}

function sortByName(entries: ScanDirEntry[]): ScanDirEntry[] {
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
