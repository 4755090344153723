/** The cursor window, retrieval query and FIM prefix (flat and in pieces) of an inline completion request. Pure. */
import type { ContextPiece, FimContext } from '../../common/backend/backendTypes.ts';
import { completionPrefix } from '../../common/assemble/completionPrefix.ts';
import type { ContextItem } from '../../common/protocol/contextReport.ts';

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
export { completionPrefix };

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

/** The rendered pieces of `text` in order, each matched to the included item whose header it starts with. */
export function splitPieces(text: string, items: readonly ContextItem[]): ContextPiece[] | undefined {
  const left = items.filter((i) => i.status !== 'dropped' && i.chars > 0);
  const pieces: ContextPiece[] = [];
  let pos = 0;
  while (pos < text.length) {
    const headerEnd = text.indexOf('\n', pos);
    const header = text.slice(pos, headerEnd < 0 ? text.length : headerEnd);
    const k = left.findIndex((i) => header.includes(`${i.path}:${i.startLine}-${i.endLine}`) && (pos + i.chars === text.length || text[pos + i.chars] === '\n'));
    if (k < 0) return undefined;
    const item = left.splice(k, 1)[0]!;
    pieces.push({ key: `${item.path}:${item.startLine}-${item.endLine}`, text: `${text.slice(pos, pos + item.chars)}\n` });
    pos += item.chars + 1;
  }
  return pieces.map((p) => p.text).join('') === `${text}\n` ? pieces : undefined;
}

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
