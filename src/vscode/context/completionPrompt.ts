/** The cursor window, retrieval query and FIM prefix (flat and in pieces) of an inline completion request. Pure. */
import type { FimContext } from '../../common/backend/backendTypes.ts';
import { completionPrefix } from '../../common/assemble/completionPrefix.ts';
import { splitPieces } from '../../common/assemble/contextPieces.ts';
import type { ContextItem } from '../../common/protocol/contextReport.ts';

/** The editor's window and retrieval query are the pure ones `squeeze context` also uses. */
export { completionWindow as cursorWindow, type CompletionWindow as CursorWindow } from '../../common/context/completionWindow.ts';
export { cursorQuery as retrievalQuery } from '../../common/assemble/cursorQuery.ts';

const HASH_COMMENT = new Set(['python', 'ruby', 'shellscript', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell', 'elixir', 'julia', 'coffeescript']);
const DASH_COMMENT = new Set(['sql', 'lua', 'haskell', 'ada']);

export function lineCommentFor(languageId: string): string {
  if (HASH_COMMENT.has(languageId)) return '#';
  if (DASH_COMMENT.has(languageId)) return '--';
  return '//';
}

/** The FIM prefix (shared with `squeeze eval`'s generation metrics). */
export { completionPrefix, splitPieces };

/**
 * `completionPrefix` as a `FimContext`: the lead line, one piece per retrieved chunk (each with the newline that
 * separates it from the next) and the local text (file header and window). `contextText` is the rendered
 * context, best last, pieces joined by newlines; `items` are its report's items, whose `chars` say how long each
 * included piece is. When the pieces cannot be told apart exactly the context stays one piece.
 */
export function completionContext(contextText: string, items: readonly ContextItem[], path: string, language: string, windowPrefix: string): FimContext {
  const full = completionPrefix(contextText, path, language, windowPrefix);
  const local = completionPrefix('', path, language, windowPrefix);
  if (!contextText) return { lead: '', pieces: [], local: full };
  const lead = full.slice(0, full.length - local.length - contextText.length - 1);
  const pieces = splitPieces(contextText, items) ?? [{ key: 'context', text: `${contextText}\n` }];
  return { lead, pieces, local };
}
