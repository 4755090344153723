/**
 * One line-completion task of the eval (RepoEval-style): the cursor sits at `line`:`column` of `file` in
 * the repository `repo_dir`; `prefix` is the file text before the cursor, `groundtruth` the rest of the
 * target line (stripped), `suffix` the text after the target line. Field names follow the tasks file.
 */
export interface EvalTask {
  readonly id: string;
  readonly language: string;
  /** Relative to the tasks file. */
  readonly repo_dir: string;
  /** Relative to `repo_dir`, '/'-separated. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 0-based column of the cursor in the target line. */
  readonly column: number;
  readonly cursor_offset: number;
  readonly prefix: string;
  readonly groundtruth: string;
  readonly suffix: string;
}

const STRING_FIELDS = ['id', 'language', 'repo_dir', 'file', 'prefix', 'groundtruth', 'suffix'] as const;
const NUMBER_FIELDS = ['line', 'column', 'cursor_offset'] as const;

/** Parses one JSON line; throws with the line number and the missing or mistyped field. */
export function parseTaskLine(text: string, lineNo: number): EvalTask {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`tasks line ${lineNo}: not JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null) throw new Error(`tasks line ${lineNo}: not an object`);
  const o = value as Record<string, unknown>;
  for (const f of STRING_FIELDS) if (typeof o[f] !== 'string') throw new Error(`tasks line ${lineNo}: '${f}' must be a string`);
  for (const f of NUMBER_FIELDS) if (typeof o[f] !== 'number') throw new Error(`tasks line ${lineNo}: '${f}' must be a number`);
  return o as unknown as EvalTask;
}

/** Parses a whole JSONL text (blank lines skipped). */
export function parseTasks(text: string): EvalTask[] {
  const out: EvalTask[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim().length > 0) out.push(parseTaskLine(line, i + 1));
  });
  return out;
}

/** The prefix's current (partial) line: the text between the last newline and the cursor. */
export function cursorLinePrefix(task: Pick<EvalTask, 'prefix'>): string {
  return task.prefix.slice(task.prefix.lastIndexOf('\n') + 1);
}

/** The last `n` lines of the prefix, the partial cursor line included: the query of similarity retrievers. */
export function queryWindow(prefix: string, n: number): string {
  const lines = prefix.split('\n');
  return lines.slice(Math.max(0, lines.length - n)).join('\n');
}
