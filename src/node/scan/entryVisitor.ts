/**
 * Decides what the walker does with one directory entry: descend into it (a directory), hand it to the
 * read pool (a file), or record why it is skipped. Symbolic links are followed when their target is
 * inside the root; a linked directory whose real path is already on the way down is a loop.
 */
import path from 'node:path';
import { throwIfCancelled } from '../../common/cancellation.ts';
import { isExcludedDirName } from '../../common/scan/builtInExcludes.ts';
import { OVERRIDABLE_REASONS, classifyByName } from '../../common/scan/fileClassifier.ts';
import type { IgnoreRules, IgnoreVerdict } from './ignoreRules.ts';
import { scanFile, type FileScanContext } from './fileScanner.ts';
import { fsErrorCode, type ScanDirEntry } from './scanFileSystem.ts';
import type { TaskPool } from './taskPool.ts';

export interface WalkContext extends FileScanContext {
  readonly pool: TaskPool;
  /** Real path of the root: link targets must lie inside it. */
  readonly rootReal: string;
  readonly progress: { seen: number; readonly report: ((p: { seen: number; path: string }) => void) | undefined };
}

/** Real paths from a directory up to the root, to detect symbolic link loops. */
export interface RealPathChain {
  readonly real: string;
  readonly parent?: RealPathChain;
}

export interface DirectoryToScan {
  /** Relative to the root, '/'-separated, '' for the root. */
  readonly path: string;
  readonly absolutePath: string;
  readonly chain: RealPathChain;
}

export interface EntryToVisit {
  readonly dir: DirectoryToScan;
  readonly entry: ScanDirEntry;
  /** The ignore rules in effect inside `dir`. */
  readonly rules: IgnoreRules;
  /** Names of all entries of `dir`, for contextual built-in excludes (`bin` next to a `.csproj`). */
  readonly siblingNames: readonly string[];
}

interface Resolved {
  readonly path: string;
  readonly absolutePath: string;
  readonly linked: boolean;
}

/** Visits one entry; returns the directory to walk next when the entry is one, else undefined. */
export async function visitEntry(ctx: WalkContext, visit: EntryToVisit): Promise<DirectoryToScan | undefined> {
  const { dir, entry } = visit;
  const item: Resolved = {
    path: dir.path === '' ? entry.name : `${dir.path}/${entry.name}`,
    absolutePath: path.join(dir.absolutePath, entry.name),
    linked: entry.isSymbolicLink(),
  };
  const kind = await entryKind(ctx, visit, item);
  if (kind === 'directory') return visitDirectoryEntry(ctx, visit, item);
  if (kind === 'file') await visitFileEntry(ctx, visit, item);
  return undefined;
}

/** 'directory' or 'file' (special files count as files and are rejected at stat), or undefined when skipped. */
async function entryKind(ctx: WalkContext, visit: EntryToVisit, item: Resolved): Promise<'directory' | 'file' | undefined> {
  if (visit.entry.isDirectory()) return 'directory';
  if (visit.entry.isFile()) return 'file';
  try {
    return (await ctx.fs.stat(item.absolutePath)).isDirectory() ? 'directory' : 'file';
  } catch (e) {
    if (visit.rules.test(item.path, false) === 'ignored') ctx.out.skip(item.path, 'IGNORED');
    else if (item.linked && fsErrorCode(e) === 'ENOENT') ctx.out.skip(item.path, 'UNREADABLE', 'broken symbolic link');
    else ctx.out.skipFsError(item.path, e);
    return undefined;
  }
}

async function visitDirectoryEntry(ctx: WalkContext, visit: EntryToVisit, item: Resolved): Promise<DirectoryToScan | undefined> {
  const shown = `${item.path}/`;
  const verdict = visit.rules.test(item.path, true);
  if (verdict === 'ignored') {
    ctx.out.skip(shown, 'IGNORED');
    return undefined;
  }
  if (verdict !== 'unignored' && isExcludedDirName(visit.entry.name, visit.siblingNames)) {
    ctx.out.skip(shown, 'BUILT_IN_EXCLUDE');
    return undefined;
  }
  const chain = visit.dir.chain;
  const real = item.linked ? await resolveLink(ctx, shown, item.absolutePath) : path.join(chain.real, visit.entry.name);
  if (real === undefined) return undefined;
  for (let c: RealPathChain | undefined = chain; c !== undefined; c = c.parent) {
    if (c.real !== real) continue;
    ctx.out.skip(shown, 'SYMLINK_LOOP', `links back to ${displayReal(ctx, real)}`);
    return undefined;
  }
  return { path: item.path, absolutePath: item.absolutePath, chain: { real, parent: chain } };
}

async function visitFileEntry(ctx: WalkContext, visit: EntryToVisit, item: Resolved): Promise<void> {
  ctx.progress.seen++;
  ctx.progress.report?.({ seen: ctx.progress.seen, path: item.path });
  const verdict = visit.rules.test(item.path, false);
  if (verdict === 'ignored') return ctx.out.skip(item.path, 'IGNORED');
  if (rejectByName(ctx, item.path, item.path, verdict)) return;
  if (item.linked) {
    const real = await resolveLink(ctx, item.path, item.absolutePath);
    if (real === undefined || rejectByName(ctx, item.path, path.basename(real), verdict)) return;
  }
  const file = { path: item.path, absolutePath: item.absolutePath, reincluded: verdict === 'unignored' };
  throwIfCancelled(ctx.token);
  await ctx.pool.run(() => scanFile(ctx, file));
}

/** Skips by name (the entry's, or a link target's); an explicit re-include overrides the noise rules. */
function rejectByName(ctx: WalkContext, shown: string, name: string, verdict: IgnoreVerdict): boolean {
  const reason = classifyByName(name);
  if (reason === undefined || (verdict === 'unignored' && OVERRIDABLE_REASONS.has(reason))) return false;
  ctx.out.skip(shown, reason, name === shown ? undefined : `symbolic link to ${name}`);
  return true;
}

/** The real path of a link target inside the root, or undefined after recording a skip. */
async function resolveLink(ctx: WalkContext, shown: string, absolutePath: string): Promise<string | undefined> {
  let real: string;
  try {
    real = await ctx.fs.realpath(absolutePath);
  } catch (e) {
    ctx.out.skipFsError(shown, e);
    return undefined;
  }
  const prefix = ctx.rootReal.endsWith(path.sep) ? ctx.rootReal : ctx.rootReal + path.sep;
  if (real === ctx.rootReal || real.startsWith(prefix)) return real;
  ctx.out.skip(shown, 'SYMLINK_OUTSIDE', `target ${real}`);
  return undefined;
}

function displayReal(ctx: WalkContext, real: string): string {
  const rel = path.relative(ctx.rootReal, real).split(path.sep).join('/');
  return rel === '' ? 'the root' : rel;
}
