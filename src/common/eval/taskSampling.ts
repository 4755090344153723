/**
 * RepoEval-style sampling of line-completion tasks from a repository's files (Zhang et al., 2023):
 * - files: source files of the wanted languages that are not tests (paths with test/tests/spec/__tests__
 *   folders, `test_*`, `*_test.*`, `*.test.*`, `*.spec.*`), nor declaration/stub files (`.d.ts`, `.pyi`);
 * - lines: not blank, not inside or starting a comment or docstring, not imports/exports-from/package
 *   lines, not the first 5 lines of a file, and non-trivial: at least 3 identifiers (keywords excluded) or
 *   at least 20 non-space characters; at most 240 characters;
 * - the cursor sits after the line's indentation; the ground truth is the rest of the line, stripped;
 * - deterministic: candidates shuffled by a seeded PRNG; at most `perFile` tasks per file.
 */
import { Prng } from '../index/prng.ts';
import type { EvalTask } from './evalTask.ts';
import { identifiersOf } from './textMetrics.ts';

export interface SourceFile {
  readonly path: string;
  readonly language: string;
  readonly text: string;
}

export interface SamplingOptions {
  readonly count: number;
  readonly seed: number;
  /** Relative to the tasks file. */
  readonly repoDir: string;
  readonly perFile?: number;
}

const TEST_PATH = /(^|\/)(tests?|__tests__|spec|specs|testing|fixtures?)(\/|$)|(^|\/)test_[^/]*$|_test\.[^/]+$|\.(test|spec)\.[^/]+$|(^|\/)conftest\.py$/i;
const SKIP_FILE = /\.d\.ts$|\.pyi$/;
const IMPORT_LINE = /^(import\b|from\s+\S+\s+import\b|package\b|export\s+(\*|\{[^}]*\})\s+from\b|.*\brequire\(['"])/;
const COMMENT_START = /^(\/\/|#|\*|\/\*|[rRuUbBfF]{0,2}"""|[rRuUbBfF]{0,2}''')/;
const DOCSTRING = /^[rRuUbBfF]{0,2}("""|''')/;

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

export function isEligibleFile(path: string): boolean {
  return !isTestPath(path) && !SKIP_FILE.test(path);
}

/** 0-based indices of lines inside block comments or docstrings (approximate, line-based). */
export function commentLines(lines: readonly string[], language: string): Set<number> {
  const out = new Set<number>();
  const python = language === 'python';
  let open: string | undefined;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (open) {
      out.add(i);
      if (line.includes(open)) open = undefined;
      return;
    }
    const opener = python ? DOCSTRING.exec(line) : line.startsWith('/*') ? ['/*', '*/'] : null;
    const marker = opener?.[1];
    if (!opener || !marker) return;
    out.add(i);
    const rest = line.slice((opener[0] ?? '').length);
    if (!rest.includes(marker)) open = marker;
  });
  return out;
}

/** The line is a non-trivial code line worth predicting. */
export function isTargetLine(line: string): boolean {
  const t = line.trim();
  if (t.length === 0 || t.length > 240 || COMMENT_START.test(t) || IMPORT_LINE.test(t)) return false;
  return identifiersOf(t).length >= 3 || t.replace(/\s/g, '').length >= 20;
}

/** The task for 0-based line `index` of `file`. */
export function taskAt(file: SourceFile, index: number, repoDir: string): EvalTask {
  const lines = file.text.split('\n');
  const line = lines[index] ?? '';
  const column = line.length - line.trimStart().length;
  const lineStart = lines.slice(0, index).reduce((n, l) => n + l.length + 1, 0);
  const cursor = lineStart + column;
  const after = lineStart + line.length + 1;
  return {
    id: `${repoDir}/${file.path}:${index + 1}`, language: file.language, repo_dir: repoDir, file: file.path,
    line: index + 1, column, cursor_offset: cursor, prefix: file.text.slice(0, cursor),
    groundtruth: line.trim(), suffix: file.text.slice(Math.min(after, file.text.length)),
  };
}

function candidates(file: SourceFile): number[] {
  const lines = file.text.split('\n');
  const comments = commentLines(lines, file.language);
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (i >= 5 && !comments.has(i) && isTargetLine(l)) out.push(i);
  });
  return out;
}

/** Samples up to `count` tasks from `files`, deterministically. */
export function sampleTasks(files: readonly SourceFile[], o: SamplingOptions): EvalTask[] {
  const rng = new Prng(o.seed);
  const pool = files.filter((f) => isEligibleFile(f.path)).flatMap((f) => candidates(f).map((i) => ({ f, i })));
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [pool[i], pool[j]] = [pool[j] as (typeof pool)[number], pool[i] as (typeof pool)[number]];
  }
  const perFile = new Map<string, number>();
  const out: EvalTask[] = [];
  for (const { f, i } of pool) {
    if (out.length >= o.count) break;
    const used = perFile.get(f.path) ?? 0;
    if (used >= (o.perFile ?? 3)) continue;
    perFile.set(f.path, used + 1);
    out.push(taskAt(f, i, o.repoDir));
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
