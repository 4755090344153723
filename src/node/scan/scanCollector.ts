/**
 * Collects what one scan found: indexed files, skips (each logged once at debug level with its reason)
 * and the paths that were read and hashed. Also maps file system errors to skip reasons.
 */
import type { Logger } from '../../common/log.ts';
import { SKIP_REASONS, type ScannedFile, type SkipReason, type SkippedFile } from '../../common/scan/scannedFile.ts';
import { fsErrorCode } from './scanFileSystem.ts';

export interface CollectedScan {
  readonly files: ScannedFile[];
  readonly skipped: SkippedFile[];
  readonly rehashed: string[];
}

/** Skip reasons for the `code` of a file system error; any other code is UNREADABLE. */
export const FS_ERROR_REASONS: Readonly<Record<string, SkipReason>> = {
  ENOENT: 'VANISHED',
  ENOTDIR: 'VANISHED',
  ELOOP: 'SYMLINK_LOOP',
};

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export class ScanCollector {
  private readonly logger: Logger;
  private readonly files: ScannedFile[] = [];
  private readonly skipped: SkippedFile[] = [];
  private readonly rehashed: string[] = [];

  constructor(logger: Logger) {
    this.logger = logger;
  }

  addFile(file: ScannedFile, rehashed: boolean): void {
    this.files.push(file);
    if (rehashed) this.rehashed.push(file.path);
  }

  /** Records and logs a skip. Directory paths end with '/'. */
  skip(path: string, reason: SkipReason, detail?: string): void {
    this.skipped.push(detail === undefined ? { path, reason } : { path, reason, detail });
    this.logger.debug(`skip ${path}: ${reason} (${detail ?? SKIP_REASONS[reason]})`);
  }

  /** Records a file system error as a skip; rethrows anything that is not a file system error. */
  skipFsError(path: string, error: unknown): void {
    const code = fsErrorCode(error);
    if (code === undefined) throw error;
    this.skip(path, FS_ERROR_REASONS[code] ?? 'UNREADABLE', code);
  }

  /** The result, each list sorted by path so that output does not depend on I/O timing. */
  result(): CollectedScan {
    return {
      files: [...this.files].sort(byPath),
      skipped: [...this.skipped].sort(byPath),
      rehashed: [...this.rehashed].sort(),
    };
  }

  /** One line for the log: counts per skip reason. */
  summary(elapsedMs: number): string {
    const counts = new Map<SkipReason, number>();
    for (const s of this.skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
    const reasons = [...counts].map(([r, n]) => `${r} ${n}`).join(', ');
    return (
      `indexed ${this.files.length} files (${this.rehashed.length} read and hashed), ` +
      `skipped ${this.skipped.length}${reasons ? ` (${reasons})` : ''} in ${Math.round(elapsedMs)} ms`
    );
  }
}
