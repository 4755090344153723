/**
 * The three detail levels of a chunk:
 * - `full`: the text as is;
 * - `collapsed`: the bodies of function-like definitions replaced by a marker (`{ … }`, `=> …`, or `...`
 *   in indentation languages); classes, structs, interfaces keep their bodies, so member signatures stay;
 * - `signature`: the signature of each definition starting in the chunk, one per line, on one line each,
 *   indented two spaces per nesting level.
 */
import type { Chunk, Definition, DetailLevel, Span } from './chunk.ts';
import { languageSpec, type BodyMarkerStyle } from './languages.ts';

/** Definition kinds whose bodies `collapsed` removes. */
export const COLLAPSIBLE_KINDS: ReadonlySet<string> = new Set(['function', 'method', 'constructor', 'destructor']);

/** Signatures longer than this are cut with an ellipsis at the `signature` level. */
export const MAX_SIGNATURE_CHARS = 240;

export type RenderableChunk = Pick<Chunk, 'text' | 'definitions' | 'language'>;

/** The marker that stands for a removed body, chosen from the body's own first characters. */
export function bodyMarker(bodyText: string, style: BodyMarkerStyle): string {
  if (style === 'indent') return '...';
  if (bodyText.startsWith('{')) return '{ … }';
  if (bodyText.startsWith('=>')) return '=> …';
  return '…';
}

/** Bodies to collapse, in order, without bodies nested in another collapsed body. */
function collapsibleBodies(definitions: readonly Definition[]): Span[] {
  const bodies = definitions
    .filter((d) => d.body !== undefined && COLLAPSIBLE_KINDS.has(d.kind))
    .map((d) => d.body as Span)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const b of bodies) {
    const last = out[out.length - 1];
    if (last === undefined || b.start >= last.end) out.push(b);
  }
  return out;
}

export function renderCollapsed(chunk: RenderableChunk): string {
  const style = languageSpec(chunk.language)?.bodyMarker ?? 'braces';
  const { text } = chunk;
  let out = '';
  let pos = 0;
  for (const body of collapsibleBodies(chunk.definitions)) {
    out += text.slice(pos, body.start) + bodyMarker(text.slice(body.start, body.end), style);
    pos = body.end;
  }
  return out + text.slice(pos);
}

/** One definition's signature on a single line (whitespace runs folded, long ones cut). */
export function signatureLine(text: string, def: Definition): string {
  const sig = text.slice(def.signature.start, def.signature.end).replace(/\s+/g, ' ').trim();
  const line = sig.length > MAX_SIGNATURE_CHARS ? `${sig.slice(0, MAX_SIGNATURE_CHARS - 2).trimEnd()} …` : sig;
  return '  '.repeat(def.depth ?? 0) + line;
}

export function renderSignatures(chunk: RenderableChunk): string {
  return chunk.definitions.map((d) => signatureLine(chunk.text, d)).join('\n');
}

/** Renders a chunk at a detail level. */
export function renderDetail(chunk: RenderableChunk, level: DetailLevel): string {
  switch (level) {
    case 'full':
      return chunk.text;
    case 'collapsed':
      return renderCollapsed(chunk);
    case 'signature':
      return renderSignatures(chunk);
  }
}
