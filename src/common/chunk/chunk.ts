/** The chunk model shared by the chunker, the index, compression and prompt assembly. */

/** Half-open range [start, end) of UTF-16 code unit offsets. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type DetailLevel = 'full' | 'collapsed' | 'signature';

/** A definition that starts inside a chunk. Spans are relative to the chunk's text. */
export interface Definition {
  /** 'class', 'function', 'method', 'interface', ... (from the capture name in syntaxes/<lang>.scm). */
  readonly kind: string;
  readonly name: string;
  /** From the start of the definition to the start of its body (or its end when it has no body). */
  readonly signature: Span;
  /** The body that `collapsed` replaces with a marker, when the whole body lies inside the chunk. */
  readonly body?: Span;
  /** Nesting depth among the file's definitions: 0 = top level (a method of a top-level class is 1). */
  readonly depth?: number;
}

export type ChunkParser = 'tree-sitter' | 'lines';

export interface Chunk {
  /** Workspace-relative path, '/'-separated. */
  readonly path: string;
  /** Language id (`typescript`, `python`, ... or `plaintext`). */
  readonly language: string;
  /** Range of this chunk in the file's text. Chunks of a file tile it exactly. */
  readonly span: Span;
  /** 1-based first line and 1-based last line (inclusive). */
  readonly startLine: number;
  readonly endLine: number;
  /** Enclosing definitions at the chunk's first definition or start, outermost first: ['class A', 'method b']. */
  readonly symbolPath: readonly string[];
  readonly text: string;
  /** Definitions starting in this chunk, in order. Used to render the `collapsed` and `signature` levels. */
  readonly definitions: readonly Definition[];
  readonly parser: ChunkParser;
}

export function chunkId(c: Pick<Chunk, 'path' | 'startLine' | 'endLine'>): string {
  return `${c.path}:${c.startLine}-${c.endLine}`;
}

export function formatSymbolPath(c: Pick<Chunk, 'symbolPath'>): string {
  return c.symbolPath.join(' > ');
}
