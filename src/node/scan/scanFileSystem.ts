/**
 * The few file system calls the scanner makes, behind an interface so that tests can count reads and
 * inject failures (EACCES, a file that vanishes) that a test running as root cannot provoke for real.
 */
import fs from 'node:fs';
import { promisify } from 'node:util';

/** A directory entry as `fs.readdir(..., { withFileTypes: true })` returns it. */
export interface ScanDirEntry {
  readonly name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** The part of `fs.Stats` the scanner uses (`stat` follows symbolic links). */
export interface ScanStats {
  readonly size: number;
  readonly mtimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

export interface ScanFileSystem {
  readdir(path: string): Promise<ScanDirEntry[]>;
  stat(path: string): Promise<ScanStats>;
  realpath(path: string): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
}

const readdir = promisify(fs.readdir);
const stat = promisify(fs.stat);
const realpath = promisify(fs.realpath);
const readFile = promisify(fs.readFile);

/** The real file system. The callback API is used on purpose: on Node 20 `fs.promises.stat` is ~3x slower. */
export const NODE_SCAN_FS: ScanFileSystem = {
  readdir: (path) => readdir(path, { withFileTypes: true }),
  stat: (path) => stat(path),
  realpath: (path) => realpath(path),
  readFile: (path) => readFile(path),
};

/** The `code` of a Node system error (`'ENOENT'`, `'EACCES'`...), or undefined for any other value. */
export function fsErrorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  const code = (e as { code: unknown }).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}
