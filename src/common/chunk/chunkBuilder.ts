/**
 * Turns spans that tile a file into `Chunk`s: line numbers, text, symbol path and the definitions that
 * start in each chunk (with spans relative to the chunk's text).
 */
import type { Chunk, ChunkParser, Definition, Span } from './chunk.ts';
import { LineIndex } from './lineIndex.ts';
import {
  definitionTree,
  firstDefinitionFrom,
  symbolPathAt,
  symbolPathOf,
  type DefinitionTree,
  type SourceDefinition,
} from './symbolPaths.ts';

export interface BuildChunksInput {
  readonly path: string;
  readonly language: string;
  readonly text: string;
  /** Contiguous spans that tile `text`. */
  readonly spans: readonly Span[];
  readonly definitions: readonly SourceDefinition[];
  readonly parser: ChunkParser;
  readonly lines?: LineIndex;
}

/** End of `[start, end)` with trailing whitespace removed (never before `start`). */
function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1] ?? '')) e--;
  return e;
}

function relativeDefinition(text: string, chunk: Span, def: SourceDefinition, depth: number): Definition {
  const sigEnd = Math.min(def.body ? def.body.start : def.end, chunk.end);
  const signature = { start: def.start - chunk.start, end: trimEnd(text, def.start, sigEnd) - chunk.start };
  const base = { kind: def.kind, name: def.name, signature, depth };
  const body = def.body;
  if (body === undefined || body.start < chunk.start || body.end > chunk.end) return base;
  return { ...base, body: { start: body.start - chunk.start, end: body.end - chunk.start } };
}

function chunkDefinitions(text: string, tree: DefinitionTree, chunk: Span): { defs: Definition[]; first: number } {
  const first = firstDefinitionFrom(tree, chunk.start);
  const defs: Definition[] = [];
  for (let i = first; i < tree.defs.length; i++) {
    const def = tree.defs[i];
    if (def === undefined || def.start >= chunk.end) break;
    defs.push(relativeDefinition(text, chunk, def, tree.depth[i] ?? 0));
  }
  return { defs, first };
}

function firstNonWhitespace(text: string, span: Span): number {
  const re = /\S/g;
  re.lastIndex = span.start;
  const m = re.exec(text);
  return m !== null && m.index < span.end ? m.index : span.start;
}

/** Builds the chunks of one file from spans that tile its text. */
export function buildChunks(input: BuildChunksInput): Chunk[] {
  const { text } = input;
  const lines = input.lines ?? new LineIndex(text);
  const tree = definitionTree(input.definitions);
  return input.spans.map((span): Chunk => {
    const { defs, first } = chunkDefinitions(text, tree, span);
    const symbolPath = defs.length > 0 ? symbolPathOf(tree, first) : symbolPathAt(tree, firstNonWhitespace(text, span));
    return {
      path: input.path,
      language: input.language,
      span: { start: span.start, end: span.end },
      startLine: lines.lineOf(span.start) + 1,
      endLine: lines.lineOf(Math.max(span.start, span.end - 1)) + 1,
      symbolPath,
      text: text.slice(span.start, span.end),
      definitions: defs,
      parser: input.parser,
    };
  });
}
