/**
 * Thins a retrieved chunk to the lines that tell the model something the prompt does not already show:
 * - a line already shown (in the text before the cursor or in a piece kept earlier) goes;
 * - a comment-only line goes (the code around it stays);
 * - a line goes when every name on it is already known (from the text before the cursor or kept pieces);
 * - except near an anchor: a line whose names resemble one of the last lines before the cursor (Jaccard of
 *   name sets ≥ `anchorSimilarity`) is kept with the `anchorFollow` lines after it, whatever they show,
 *   because what follows code like the cursor's is what the completion most likely copies.
 * Removed runs leave a `…` line at the indentation of the next kept line, and the kept lines lose the
 * indentation they all share (`dedentLines`). Pure; the state is updated by
 * `markShown` once a piece is really placed in the prompt.
 */
import { codeNames } from './codeNames.ts';
import { isCommentLine } from './commentSyntax.ts';
import { dedentLines } from './dedentLines.ts';

export interface NoveltyOptions {
  /** Jaccard of name sets at or above which a chunk line resembles one of the cursor's last lines (default 0.5). */
  readonly anchorSimilarity?: number;
  /** Lines kept after an anchor line, whatever they show (default 4). */
  readonly anchorFollow?: number;
  /** Non-blank lines with names, right before the cursor, that anchors are compared with (default 2). */
  readonly anchorLines?: number;
}

export interface NoveltyState {
  /** Trimmed lines (longer than 3 characters) the prompt already shows. */
  readonly shownLines: Set<string>;
  readonly knownNames: Set<string>;
  /** Name sets of the last lines before the cursor. */
  readonly anchors: readonly ReadonlySet<string>[];
}

export interface ThinnedText {
  readonly text: string;
  /** Lines of the input not in `text` (blank ones included). */
  readonly droppedLines: number;
}

const MIN_SHOWN_LENGTH = 4;

/** What the prompt shows before any retrieved piece: the text before the cursor. */
export function noveltyState(prefix: string, options: NoveltyOptions = {}): NoveltyState {
  const lines = prefix.split('\n');
  const shownLines = new Set(lines.map((l) => l.trim()).filter((l) => l.length >= MIN_SHOWN_LENGTH));
  const withNames = lines.map(codeNames).filter((n) => n.length > 0);
  const anchors = withNames.slice(-(options.anchorLines ?? 2)).map((n) => new Set(n));
  return { shownLines, knownNames: new Set(codeNames(prefix)), anchors };
}

function jaccard(a: readonly string[], b: ReadonlySet<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.length + b.size - shared);
}

/** Lines inside an anchor's reach: the anchor itself and the `follow` lines after it. */
function anchoredLines(names: readonly (readonly string[])[], state: NoveltyState, o: NoveltyOptions): boolean[] {
  const keep = names.map(() => false);
  const min = o.anchorSimilarity ?? 0.5;
  const follow = o.anchorFollow ?? 4;
  names.forEach((n, i) => {
    if (n.length === 0 || !state.anchors.some((a) => jaccard(n, a) >= min)) return;
    for (let j = i; j <= Math.min(names.length - 1, i + follow); j++) keep[j] = true;
  });
  return keep;
}

function isNovel(line: string, names: readonly string[], language: string, state: NoveltyState): boolean {
  const trimmed = line.trim();
  if (trimmed.length >= MIN_SHOWN_LENGTH && state.shownLines.has(trimmed)) return false;
  if (isCommentLine(line, language)) return false;
  return names.some((n) => !state.knownNames.has(n));
}

function marker(nextLine: string): string {
  return `${/^\s*/.exec(nextLine)?.[0] ?? ''}…`;
}

/** The lines of `text` worth showing given `state`; undefined when none is. */
export function novelLines(text: string, language: string, state: NoveltyState, options: NoveltyOptions = {}): ThinnedText | undefined {
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const names = lines.map(codeNames);
  const anchored = anchoredLines(names, state, options);
  const out: string[] = [];
  let kept = 0;
  let gap = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (!anchored[i] && !isNovel(line, names[i] ?? [], language, state)) {
      gap = true;
      return;
    }
    if (gap && out.length > 0) out.push(marker(line));
    gap = false;
    out.push(line);
    kept++;
  });
  return kept === 0 ? undefined : { text: dedentLines(out).join('\n'), droppedLines: lines.length - kept };
}

/** Records the lines and names of a piece placed in the prompt. */
export function markShown(state: NoveltyState, text: string): void {
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.length >= MIN_SHOWN_LENGTH) state.shownLines.add(trimmed);
  }
  for (const n of codeNames(text)) state.knownNames.add(n);
}
