/**
 * A FIM prompt as token segments for position assignment: the model's markers, the lead text, each retrieved
 * piece as its own `chunk` segment, the local text (file header and the text before the cursor), the suffix.
 * Every segment is tokenized on its own, so a piece has the same ids in every prompt it appears in (the chunk
 * cache keys on them). Without a FIM style the prompt is the prefix alone. Pure.
 */
import type { FimContext } from '../backend/backendTypes.ts';
import type { TokenSegment } from '../positions/positionTypes.ts';
import type { FimStyle } from './fimStyles.ts';

export interface SegmentEncoder {
  encode(text: string): number[];
  tokenId(token: string): number | undefined;
}

export interface FimPrompt {
  readonly context: FimContext;
  readonly suffix: string;
  readonly style: FimStyle | undefined;
  /** Prepended when the model wants a BOS token. */
  readonly bosId?: number | undefined;
}

function marker(enc: SegmentEncoder, token: string): TokenSegment {
  const id = enc.tokenId(token);
  if (id === undefined) throw new Error(`the tokenizer has no token ${JSON.stringify(token)}`);
  return { kind: 'marker', ids: [id] };
}

export function fimSegments(p: FimPrompt, enc: SegmentEncoder): TokenSegment[] {
  const out: TokenSegment[] = [];
  const text = (kind: string, t: string): void => {
    const ids = enc.encode(t);
    if (ids.length > 0) out.push({ kind, ids });
  };
  if (p.bosId !== undefined) out.push({ kind: 'marker', ids: [p.bosId] });
  if (p.style) out.push(marker(enc, p.style.prefix));
  const c = p.context;
  const lead = p.style?.prefixLead ?? '';
  const alone = c.lead === '' && c.pieces.length === 0;
  text('lead', alone ? '' : lead + c.lead);
  for (const piece of c.pieces) text('chunk', piece.text);
  text('current-file', alone ? lead + c.local : c.local);
  if (!p.style) return out;
  out.push(marker(enc, p.style.suffix));
  text('suffix', p.suffix);
  out.push(marker(enc, p.style.middle));
  return out;
}
