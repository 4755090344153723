/** The cursor's place in a file and the retrieval query of an inline completion. Pure. */
export interface CursorSplit {
  readonly prefix: string;
  readonly suffix: string;
  /** UTF-16 offset of the cursor. */
  readonly offset: number;
}

/** Splits `text` at a 1-based line and column (a column past the line's end clamps to it). */
export function splitAtLineColumn(text: string, line: number, column: number): CursorSplit {
  const lines = text.split('\n');
  if (line < 1 || line > lines.length) throw new RangeError(`line ${line} is outside 1-${lines.length}`);
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i]!.length + 1;
  offset += Math.min(Math.max(0, column - 1), lines[line - 1]!.length);
  return { prefix: text.slice(0, offset), suffix: text.slice(offset), offset };
}

/** The code that best says what comes next: the last lines before the cursor and a few after it. */
export function cursorQuery(prefix: string, suffix: string, linesBefore = 12, linesAfter = 3): string {
  const before = prefix.split('\n').slice(-linesBefore).join('\n');
  const after = suffix.split('\n').slice(0, linesAfter).join('\n');
  return `${before}\n${after}`.trim();
}
