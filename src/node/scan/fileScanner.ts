/**
 * Scans one file the walker has accepted by path: stat, size limit, reuse of an unchanged previous
 * hash (no read), then one read for binary sniffing, decoding, content rules and the sha256 hash.
 * The bytes are dropped when the function returns; nothing of the content is kept.
 */
import { throwIfCancelled, type CancellationToken } from '../../common/cancellation.ts';
import { OVERRIDABLE_REASONS, classifyText, isBinaryContent } from '../../common/scan/fileClassifier.ts';
import type { ScannedFile } from '../../common/scan/scannedFile.ts';
import { NotTextError, decodeText } from './readTextFile.ts';
import type { ScanCollector } from './scanCollector.ts';
import type { ScanFileSystem } from './scanFileSystem.ts';
import { sha256 } from '../fs/atomicFile.ts';

export interface FileScanContext {
  readonly fs: ScanFileSystem;
  readonly maxFileBytes: number;
  readonly previous: ReadonlyMap<string, ScannedFile> | undefined;
  readonly out: ScanCollector;
  readonly token: CancellationToken | undefined;
}

export interface FileToScan {
  /** Relative to the root, '/'-separated. */
  readonly path: string;
  readonly absolutePath: string;
  /** An ignore file re-included it explicitly: noise rules (generated, minified) do not apply. */
  readonly reincluded: boolean;
}

export async function scanFile(ctx: FileScanContext, file: FileToScan): Promise<void> {
  const { path, absolutePath } = file;
  let stats;
  try {
    stats = await ctx.fs.stat(absolutePath);
  } catch (e) {
    return ctx.out.skipFsError(path, e);
  }
  if (!stats.isFile()) return ctx.out.skip(path, 'UNREADABLE', 'not a regular file');
  if (stats.size > ctx.maxFileBytes) return ctx.out.skip(path, 'TOO_LARGE', `${stats.size} bytes`);
  const previous = ctx.previous?.get(path);
  if (previous !== undefined && previous.size === stats.size && previous.mtimeMs === stats.mtimeMs) {
    return ctx.out.addFile({ path, size: stats.size, mtimeMs: stats.mtimeMs, hash: previous.hash }, false);
  }
  throwIfCancelled(ctx.token);
  let bytes;
  try {
    bytes = await ctx.fs.readFile(absolutePath);
  } catch (e) {
    return ctx.out.skipFsError(path, e);
  }
  const hash = checkContent(ctx, file, bytes);
  if (hash !== undefined) ctx.out.addFile({ path, size: stats.size, mtimeMs: stats.mtimeMs, hash }, true);
}

/** Applies the content rules; returns the hash of an indexable file, or undefined after recording a skip. */
function checkContent(ctx: FileScanContext, file: FileToScan, bytes: Uint8Array): string | undefined {
  const { path } = file;
  if (bytes.length > ctx.maxFileBytes) {
    ctx.out.skip(path, 'TOO_LARGE', `${bytes.length} bytes (grew while scanned)`);
    return undefined;
  }
  if (isBinaryContent(bytes)) {
    ctx.out.skip(path, 'BINARY', 'NUL byte in the first 8 KiB');
    return undefined;
  }
  let text: string;
  try {
    text = decodeText(bytes);
  } catch (e) {
    if (!(e instanceof NotTextError)) throw e;
    ctx.out.skip(path, 'NOT_TEXT', e.message);
    return undefined;
  }
  const verdict = classifyText(text);
  if (verdict !== undefined && !(file.reincluded && OVERRIDABLE_REASONS.has(verdict.reason))) {
    ctx.out.skip(path, verdict.reason, verdict.detail);
    return undefined;
  }
  return sha256(bytes);
}
