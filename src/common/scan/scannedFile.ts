/** What the scanner reports about the files of a repository. Paths are relative to the root, '/'-separated. */
export interface ScannedFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** sha256 of the content, hex. */
  readonly hash: string;
}

/** Why a file was not indexed. The table below gives each a one-line explanation for logs and summaries. */
export const SKIP_REASONS = {
  IGNORED: 'matched an ignore rule (.gitignore, .git/info/exclude, .squeezeignore or a setting)',
  BUILT_IN_EXCLUDE: 'built-in exclude (VCS folder, dependencies, build output)',
  LOCK_FILE: 'lock file',
  MINIFIED: 'minified file',
  GENERATED: 'generated file',
  BINARY: 'binary content',
  TOO_LARGE: 'larger than the size limit',
  SECRET: 'may contain secrets (never read into the index)',
  SYMLINK_LOOP: 'symbolic link loop',
  SYMLINK_OUTSIDE: 'symbolic link pointing outside the root',
  UNREADABLE: 'could not be read',
  VANISHED: 'disappeared during the scan',
  NOT_TEXT: 'not valid text (encoding)',
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

export interface SkippedFile {
  readonly path: string;
  readonly reason: SkipReason;
  readonly detail?: string;
}
