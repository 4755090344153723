/**
 * A rendered context block cut back into its pieces, for prompts that treat each retrieved chunk as its own
 * segment (the local backend's parallel positions, `squeeze context`'s segment table). Pure.
 */
import type { ContextPiece } from '../backend/backendTypes.ts';
import type { ContextItem } from '../protocol/contextReport.ts';

export interface SplitPiece {
  readonly item: ContextItem;
  /** The piece with the newline that separates it from the next (the last one gets one too). */
  readonly text: string;
}

/**
 * The pieces of `text` in order, each matched to the included item whose `path:start-end` header it starts
 * with and whose `chars` it spans; `undefined` when the block cannot be cut exactly.
 */
export function splitContext(text: string, items: readonly ContextItem[]): SplitPiece[] | undefined {
  const left = items.filter((i) => i.status !== 'dropped' && i.chars > 0);
  const pieces: SplitPiece[] = [];
  let pos = 0;
  while (pos < text.length) {
    const headerEnd = text.indexOf('\n', pos);
    const header = text.slice(pos, headerEnd < 0 ? text.length : headerEnd);
    const k = left.findIndex((i) => header.includes(`${i.path}:${i.startLine}-${i.endLine}`) && (pos + i.chars === text.length || text[pos + i.chars] === '\n'));
    if (k < 0) return undefined;
    const item = left.splice(k, 1)[0]!;
    pieces.push({ item, text: `${text.slice(pos, pos + item.chars)}\n` });
    pos += item.chars + 1;
  }
  return pieces.map((p) => p.text).join('') === `${text}\n` ? pieces : undefined;
}

/** `splitContext` as backend pieces keyed by `path:start-end`. */
export function splitPieces(text: string, items: readonly ContextItem[]): ContextPiece[] | undefined {
  return splitContext(text, items)?.map(({ item, text: t }) => ({ key: `${item.path}:${item.startLine}-${item.endLine}`, text: t }));
}
