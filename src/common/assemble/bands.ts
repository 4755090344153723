/** The band fillers of prompt assembly: each takes what it may of the remaining budget and says what it used. */
import type { TokenCounter } from '../compress/compressTypes.ts';
import type { ChatTurn } from '../generate/chatFormat.ts';
import type { CursorContext, OpenFileDecision, OpenFileSnippet, PromptMode, Segment } from './assembleTypes.ts';
import { windowPrefix } from './anchoredWindow.ts';
import { commentPiece, currentFileHeader, markdownPiece } from './templates.ts';
import { fitLines, splitKeepingNewlines } from './windowFit.ts';

export interface Ledger {
  readonly count: TokenCounter;
  remaining: number;
}

export interface CursorBand {
  readonly segments: Segment[];
  readonly cut: { before: number; after: number };
  /** Lines of the file now in the prompt. */
  readonly range?: { path: string; startLine: number; endLine: number };
}

function lineCount(text: string): number {
  return splitKeepingNewlines(text).length;
}

/** Current-file window for code prompts: `// File: path` + prefix (+ suffix with FIM), suffix ≤ a quarter. */
export function codeWindow(cursor: CursorContext, ledger: Ledger, cap: number, withSuffix: boolean): CursorBand {
  const header = currentFileHeader(cursor.language, cursor.path);
  const limit = Math.min(cap, ledger.remaining) - ledger.count(header);
  if (limit <= 0) return { segments: [], cut: { before: lineCount(cursor.prefix), after: lineCount(cursor.suffix) } };
  const suffix = withSuffix ? fitLines(cursor.suffix, Math.floor(limit / 4), ledger.count, false) : { text: '', tokens: 0, cut: lineCount(cursor.suffix) };
  const prefix = windowPrefix(cursor, limit - suffix.tokens, ledger.count);
  ledger.remaining -= ledger.count(header) + prefix.tokens + suffix.tokens;
  const startLine = cursor.startLine + prefix.cut;
  const segments: Segment[] = [{ kind: 'current-file', text: header + prefix.text, source: { path: cursor.path, startLine, endLine: startLine + Math.max(0, lineCount(prefix.text) - 1) } }];
  if (withSuffix) segments.push({ kind: 'current-suffix', text: suffix.text });
  const endLine = startLine + Math.max(0, lineCount(prefix.text + suffix.text) - 1);
  return { segments, cut: { before: prefix.cut, after: suffix.cut }, range: { path: cursor.path, startLine, endLine } };
}

/** Current-file window for chat prompts: a fenced excerpt with the cursor line named. */
export function chatWindow(cursor: CursorContext, ledger: Ledger, cap: number): CursorBand {
  const cursorLine = cursor.startLine + Math.max(0, lineCount(cursor.prefix) - 1);
  const open = `Current file ${cursor.path} (cursor at line ${cursorLine}):\n\`\`\`${cursor.language}\n`;
  const close = '\n```\n';
  const limit = Math.min(cap, ledger.remaining) - ledger.count(open + close);
  if (limit <= 0) return { segments: [], cut: { before: lineCount(cursor.prefix), after: lineCount(cursor.suffix) } };
  const suffix = fitLines(cursor.suffix, Math.floor(limit / 3), ledger.count, false);
  const prefix = fitLines(cursor.prefix, limit - suffix.tokens, ledger.count, true);
  const text = `${open}${prefix.text}${suffix.text}`.replace(/\n?$/, '') + close;
  ledger.remaining -= ledger.count(text);
  const startLine = cursor.startLine + prefix.cut;
  const range = { path: cursor.path, startLine, endLine: startLine + Math.max(0, lineCount(prefix.text + suffix.text) - 1) };
  return { segments: [{ kind: 'current-file', text, source: range }], cut: { before: prefix.cut, after: suffix.cut }, range };
}

/** Open and recent files, whole or not at all, in the given order, within `cap`. */
export function openFilesBand(files: readonly OpenFileSnippet[], ledger: Ledger, cap: number, mode: PromptMode): { segments: Segment[]; decisions: OpenFileDecision[] } {
  const format = mode === 'completion' ? commentPiece : markdownPiece;
  let left = Math.min(cap, ledger.remaining);
  const segments: Segment[] = [];
  const decisions = files.map((f) => {
    const text = format({ ...f, symbolPath: [] }, f.text);
    const tokens = ledger.count(text);
    const kept = tokens <= left && f.text.trim() !== '';
    if (kept) {
      left -= tokens;
      ledger.remaining -= tokens;
      segments.push({ kind: 'open-file', text, source: { path: f.path, startLine: f.startLine, endLine: f.endLine } });
    }
    return { path: f.path, startLine: f.startLine, endLine: f.endLine, tokens, kept };
  });
  return { segments, decisions };
}

/** Earlier chat turns, newest first while they fit whole (at most `cap`), returned oldest first. */
export function historyBand(history: readonly ChatTurn[], ledger: Ledger, cap: number): Segment[] {
  let left = Math.min(cap, ledger.remaining);
  const kept: Segment[] = [];
  for (const turn of [...history].reverse()) {
    const tokens = ledger.count(turn.content);
    if (tokens > left) break;
    left -= tokens;
    ledger.remaining -= tokens;
    kept.push({ kind: 'history', text: turn.content, role: turn.role });
  }
  return kept.reverse();
}
