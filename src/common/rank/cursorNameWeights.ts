/**
 * The names near the cursor, weighted by closeness: each name of the last `lines` lines before the cursor
 * gets `decay^d`, d = how many lines above the cursor's line it occurs closest (the cursor's line: d = 0);
 * with the text after the cursor (`after`), so does each name of its first `linesAfter` lines, d = how many
 * lines below the cursor's line. These are the lines of the editor's retrieval query (`cursorQuery`).
 * Keywords are left out (`codeNames`). Pure.
 */
import { codeNames } from '../assemble/codeNames.ts';
import { CURSOR_QUERY_LINES_AFTER, CURSOR_QUERY_LINES_BEFORE } from '../assemble/cursorQuery.ts';

export interface CursorNameOptions {
  /** Lines before the cursor read, the cursor's own included (default: the editor query's, 10). */
  readonly lines?: number;
  /** Weight lost per line of distance (default 0.85). */
  readonly decay?: number;
  /** The text from the cursor on (the rest of the cursor's line first). */
  readonly after?: string;
  /** Lines of `after` read, the rest of the cursor's line included (default: the editor query's, 3). */
  readonly linesAfter?: number;
}

export const DEFAULT_CURSOR_LINES = CURSOR_QUERY_LINES_BEFORE;
export const DEFAULT_CURSOR_DECAY = 0.85;
export const DEFAULT_CURSOR_LINES_AFTER = CURSOR_QUERY_LINES_AFTER;

export function cursorNameWeights(prefix: string, o: CursorNameOptions = {}): Map<string, number> {
  const all = prefix.split('\n');
  const lines = all.slice(Math.max(0, all.length - (o.lines ?? DEFAULT_CURSOR_LINES)));
  const decay = o.decay ?? DEFAULT_CURSOR_DECAY;
  const weights = new Map<string, number>();
  const add = (line: string, d: number): void => {
    for (const name of codeNames(line)) weights.set(name, Math.max(decay ** d, weights.get(name) ?? 0));
  };
  lines.forEach((line, i) => add(line, lines.length - 1 - i));
  if (o.after !== undefined) o.after.split('\n').slice(0, o.linesAfter ?? DEFAULT_CURSOR_LINES_AFTER).forEach(add);
  return weights;
}
