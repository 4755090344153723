/**
 * A repository symbol table built from the chunks' definitions: name → definitions (path, line, one-line
 * signature, owning class), and class → its members' signatures. Owners come from definition depth:
 * a definition of depth d belongs to the last definition of depth d - 1 before it in the same file.
 */
import type { Chunk } from '../chunk/chunk.ts';
import { signatureLine } from '../chunk/detailLevels.ts';

export interface DefinitionEntry {
  readonly path: string;
  readonly name: string;
  readonly kind: string;
  /** 1-based line of the definition's start. */
  readonly line: number;
  /** Single-line signature, indented by depth. */
  readonly signature: string;
  /** Name of the enclosing definition, if any. */
  readonly owner?: string;
}

export interface DefinitionTable {
  readonly byName: ReadonlyMap<string, readonly DefinitionEntry[]>;
  /** Key `${path}#${ownerName}` → member definitions in file order. */
  readonly members: ReadonlyMap<string, readonly DefinitionEntry[]>;
}

const TYPE_KINDS: ReadonlySet<string> = new Set(['class', 'interface', 'struct', 'enum', 'trait', 'type', 'module']);

export function isTypeKind(kind: string): boolean {
  return TYPE_KINDS.has(kind);
}

export function memberKey(path: string, owner: string): string {
  return `${path}#${owner}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function lineOf(chunk: Chunk, offset: number): number {
  let line = chunk.startLine;
  for (let i = 0; i < offset && i < chunk.text.length; i++) if (chunk.text.charCodeAt(i) === 10) line++;
  return line;
}

/** Builds the table from chunks (in file order, as the chunker returns them). */
export function buildDefinitionTable(chunks: readonly Chunk[]): DefinitionTable {
  const byName = new Map<string, DefinitionEntry[]>();
  const members = new Map<string, DefinitionEntry[]>();
  let stack: string[] = [];
  let currentPath = '';
  for (const chunk of chunks) {
    if (chunk.path !== currentPath) {
      currentPath = chunk.path;
      stack = [];
    }
    for (const def of chunk.definitions) {
      const depth = def.depth ?? 0;
      stack = stack.slice(0, depth);
      const owner = depth > 0 ? stack[depth - 1] : undefined;
      const entry: DefinitionEntry = {
        path: chunk.path, name: def.name, kind: def.kind, line: lineOf(chunk, def.signature.start),
        signature: signatureLine(chunk.text, def), ...(owner ? { owner } : {}),
      };
      stack[depth] = def.name;
      push(byName, def.name, entry);
      if (owner) push(members, memberKey(chunk.path, owner), entry);
    }
  }
  return { byName, members };
}
