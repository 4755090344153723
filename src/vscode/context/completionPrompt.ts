/** The cursor window and retrieval query of an inline completion request. Pure. */

export interface CursorWindow {
  readonly prefix: string;
  readonly suffix: string;
  /** 1-based lines covered by the window, to keep retrieval from repeating them. */
  readonly startLine: number;
  readonly endLine: number;
}

/** Text before and after `offset`, cut at line starts so no partial far line is included. */
export function cursorWindow(text: string, offset: number, prefixChars: number, suffixChars: number): CursorWindow {
  let start = Math.max(0, offset - prefixChars);
  if (start > 0) {
    const nl = text.indexOf('\n', start);
    start = nl >= 0 && nl < offset ? nl + 1 : start;
  }
  let end = Math.min(text.length, offset + suffixChars);
  if (end < text.length) {
    const nl = text.lastIndexOf('\n', end);
    end = nl > offset ? nl + 1 : end;
  }
  return { prefix: text.slice(start, offset), suffix: text.slice(offset, end), startLine: lineAt(text, start), endLine: lineAt(text, end) };
}

/** The code around the cursor that best says what comes next: the last lines before it, a few after. */
export function retrievalQuery(prefix: string, suffix: string, linesBefore = 12, linesAfter = 3): string {
  const before = prefix.split('\n').slice(-linesBefore).join('\n');
  const after = suffix.split('\n').slice(0, linesAfter).join('\n');
  return `${before}\n${after}`.trim();
}

const HASH_COMMENT = new Set(['python', 'ruby', 'shellscript', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell', 'elixir', 'julia', 'coffeescript']);
const DASH_COMMENT = new Set(['sql', 'lua', 'haskell', 'ada']);

export function lineCommentFor(languageId: string): string {
  if (HASH_COMMENT.has(languageId)) return '#';
  if (DASH_COMMENT.has(languageId)) return '--';
  return '//';
}

/** The FIM prefix (shared with `squeeze eval`'s generation metrics). */
export { completionPrefix } from '../../common/assemble/completionPrefix.ts';

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
