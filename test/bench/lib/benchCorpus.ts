// Collects a real, offline source corpus for benchmarks: the JavaScript/TypeScript files shipped in this
// project's node_modules, in a deterministic order, copied into a flat temporary folder (so the scanner's
// built-in excludes for node_modules/dist/build do not hide them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs'];
const MAX_FILE_BYTES = 900_000;

export interface CorpusFile {
  readonly rel: string;
  readonly abs: string;
  readonly bytes: number;
}

/**
 * Source files under `dir` (sorted, deterministic), with one of `extensions`, no `.min.` bundles, and not
 * inside a folder `skipDir` names.
 */
export function walkSources(dir: string, out: string[], extensions: readonly string[] = EXTENSIONS, skipDir: (name: string) => boolean = () => false): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !skipDir(e.name)) walkSources(p, out, extensions, skipDir);
    else if (e.isFile() && extensions.some((x) => e.name.endsWith(x)) && !e.name.includes('.min.')) out.push(p);
  }
}

/** Copies up to `targetBytes` of source files from `nodeModules` into a fresh temp folder. */
export function buildCorpus(nodeModules: string, targetBytes: number): { dir: string; files: CorpusFile[] } {
  const all: string[] = [];
  walkSources(nodeModules, all);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-bench-corpus-'));
  const files: CorpusFile[] = [];
  let total = 0;
  for (const src of all) {
    if (total >= targetBytes) break;
    const bytes = fs.statSync(src).size;
    if (bytes < 200 || bytes > MAX_FILE_BYTES) continue;
    const pkg = path.relative(nodeModules, src).split(path.sep)[0] ?? 'pkg';
    const rel = `${pkg.replace(/^@/, '')}/${files.length}_${path.basename(src)}`;
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.copyFileSync(src, abs);
    files.push({ rel, abs, bytes });
    total += bytes;
  }
  return { dir, files };
}
