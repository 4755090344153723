/**
 * Shapes a raw model completion into what the editor shows: one line or one block, cut at the end of the
 * syntactic unit the cursor is in, without repeating the text that follows the cursor. Pure.
 */

export interface CursorShape {
  /** Text of the cursor's line before the cursor. */
  readonly linePrefix: string;
  /** Text of the cursor's line after the cursor. */
  readonly lineSuffix: string;
  /** The nearest non-blank line above the cursor's line ('' if none). */
  readonly previousLine: string;
  /** The next few lines after the cursor's line. */
  readonly nextLines: readonly string[];
}

export type ShapeResult = { readonly text: string } | { readonly reason: 'EMPTY_COMPLETION' | 'DUPLICATE_OF_SUFFIX' };

const BLOCK_OPENER = /(\{|\(|\[|:|=>|\bthen|\bdo)\s*$/;
const ONLY_CLOSERS = /^[\s)\]}>;,'"`]*$/;
export const MAX_BLOCK_LINES = 20;

/** Multi-line when the cursor opens a block: at the end of an opener line, or on a blank line just below one. */
export function isBlockStart(shape: CursorShape): boolean {
  if (!ONLY_CLOSERS.test(shape.lineSuffix)) return false;
  if (BLOCK_OPENER.test(shape.linePrefix)) return true;
  return shape.linePrefix.trim() === '' && BLOCK_OPENER.test(shape.previousLine);
}

/** True when the cursor sits inside a word: completing there would split an identifier. */
export function isMidWord(shape: CursorShape): boolean {
  return /^[\w$]/.test(shape.lineSuffix) && /[\w$]$/.test(shape.linePrefix);
}

export function shapeCompletion(raw: string, shape: CursorShape): ShapeResult {
  const text = raw.replace(/\r\n?/g, '\n');
  let out = isBlockStart(shape) ? trimToBlock(text, shape) : firstLine(text);
  out = dropSuffixOverlap(out, shape);
  out = out.replace(/\s+$/, '');
  if (out.trim() === '') return { reason: 'EMPTY_COMPLETION' };
  if (out.trim() === shape.lineSuffix.trim()) return { reason: 'DUPLICATE_OF_SUFFIX' };
  return { text: out };
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? text : text.slice(0, nl);
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)?.[0].length ?? 0;
}

/**
 * Keeps the lines of the block the cursor opens: stops at the first non-blank line indented less than
 * the block's body (the block's closer or the next statement outside it), at MAX_BLOCK_LINES, and before
 * a blank line followed by a dedent.
 */
export function trimToBlock(text: string, shape: CursorShape): string {
  const lines = text.split('\n');
  const first = lines[0] ?? '';
  const cursorIndent = shape.linePrefix.trim() === '' ? shape.linePrefix.length : indentOf(shape.linePrefix);
  const bodyIndent = shape.linePrefix.trim() === '' ? cursorIndent + indentOf(first) : bodyIndentAfterOpener(lines, cursorIndent);
  const kept = [first];
  for (let i = 1; i < lines.length && kept.length < MAX_BLOCK_LINES; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      kept.push(line);
      continue;
    }
    if (indentOf(line) < bodyIndent) {
      if (ONLY_CLOSERS.test(line) && !closerFollows(shape)) kept.push(line);
      break;
    }
    kept.push(line);
  }
  return kept.join('\n');
}

function bodyIndentAfterOpener(lines: readonly string[], openerIndent: number): number {
  const next = lines.slice(1).find((l) => l.trim() !== '');
  return next === undefined ? openerIndent + 1 : Math.max(openerIndent + 1, indentOf(next));
}

/** The document already closes the block right after the cursor. */
function closerFollows(shape: CursorShape): boolean {
  if (shape.lineSuffix.trim() !== '') return true;
  const next = shape.nextLines.find((l) => l.trim() !== '');
  return next !== undefined && ONLY_CLOSERS.test(next) && next.trim() !== '';
}

/** Removes a tail that repeats the rest of the line, or trailing lines equal to the lines that follow. */
export function dropSuffixOverlap(text: string, shape: CursorShape): string {
  const rest = shape.lineSuffix.trim();
  if (!text.includes('\n')) {
    const trimmed = text.trimEnd();
    return rest && trimmed.endsWith(rest) ? trimmed.slice(0, trimmed.length - rest.length) : text;
  }
  const lines = text.replace(/\s+$/, '').split('\n');
  const following = shape.nextLines.filter((l) => l.trim() !== '').map((l) => l.trim());
  for (let k = Math.min(lines.length - 1, following.length); k >= 1; k--) {
    if (lines.slice(-k).every((l, i) => l.trim() === following[i])) return lines.slice(0, -k).join('\n');
  }
  return lines.join('\n');
}
