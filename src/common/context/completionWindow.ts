/**
 * The editor's inline-completion window, pure: `squeeze context` (src/node) must build the same prompt as
 * the editor, and src/node may not import src/vscode. The editor re-exports it as `cursorWindow`
 * (src/vscode/context/completionPrompt.ts), with `cursorQuery` of common/assemble as its retrieval query.
 */

export interface CompletionWindow {
  readonly prefix: string;
  readonly suffix: string;
  /** 1-based lines covered by the window, to keep retrieval from repeating them. */
  readonly startLine: number;
  readonly endLine: number;
}

/** The editor's window sizes (inlineCompletionProvider.ts). */
export const EDITOR_PREFIX_CHARS = 4000;
export const EDITOR_SUFFIX_CHARS = 1500;
/** Chunks the editor retrieves per completion. */
export const EDITOR_RETRIEVED_CHUNKS = 24;
/** Default of `squeeze.inlineCompletions.contextChars`. */
export const EDITOR_CONTEXT_CHARS = 2000;

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Text before and after `offset`, cut at line starts so no partial far line is included. */
export function completionWindow(text: string, offset: number, prefixChars = EDITOR_PREFIX_CHARS, suffixChars = EDITOR_SUFFIX_CHARS): CompletionWindow {
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
