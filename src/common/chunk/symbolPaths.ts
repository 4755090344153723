/**
 * Definitions of a file (from the tree-sitter definition queries) arranged as a nesting tree, so that a
 * chunk can name its enclosing symbols: `['class Greeter', 'method greet']`.
 */
import type { Span } from './chunk.ts';

/** A definition found in a file; offsets are absolute UTF-16 offsets into the file's text. */
export interface SourceDefinition {
  readonly kind: string;
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** The body container (`{ ... }`, an indented block); absent for declarations without one. */
  readonly body?: Span;
}

export interface DefinitionTree {
  /** Sorted by start, outermost first among definitions that start together. */
  readonly defs: readonly SourceDefinition[];
  /** Index of the innermost enclosing definition, or -1. */
  readonly parent: readonly number[];
  /** Nesting depth: 0 for a definition no other definition contains. */
  readonly depth: readonly number[];
}

function contains(outer: SourceDefinition, inner: SourceDefinition): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Sorts definitions and links each to the innermost definition that contains it. */
export function definitionTree(definitions: readonly SourceDefinition[]): DefinitionTree {
  const defs = [...definitions].sort((a, b) => a.start - b.start || b.end - a.end);
  const parent: number[] = [];
  const depth: number[] = [];
  const stack: number[] = [];
  defs.forEach((def, i) => {
    while (stack.length > 0) {
      const top = defs[stack[stack.length - 1] ?? -1];
      if (top !== undefined && contains(top, def)) break;
      stack.pop();
    }
    const p = stack[stack.length - 1] ?? -1;
    parent.push(p);
    depth.push(p === -1 ? 0 : (depth[p] ?? 0) + 1);
    stack.push(i);
  });
  return { defs, parent, depth };
}

export function formatSymbol(def: Pick<SourceDefinition, 'kind' | 'name'>): string {
  return `${def.kind} ${def.name}`;
}

/** The definition at `index` and its ancestors, outermost first. */
export function symbolPathOf(tree: DefinitionTree, index: number): string[] {
  const path: string[] = [];
  for (let i = index; i >= 0; i = tree.parent[i] ?? -1) {
    const def = tree.defs[i];
    if (def !== undefined) path.push(formatSymbol(def));
  }
  return path.reverse();
}

/** Index of the first definition whose start is >= `offset` (defs.length when none). */
export function firstDefinitionFrom(tree: DefinitionTree, offset: number): number {
  let lo = 0;
  let hi = tree.defs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tree.defs[mid]?.start ?? 0) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The definitions that contain `offset` (start <= offset < end), outermost first. */
export function symbolPathAt(tree: DefinitionTree, offset: number): string[] {
  // The innermost container is the last definition starting at or before offset, or one of its ancestors.
  let i = firstDefinitionFrom(tree, offset + 1) - 1;
  while (i >= 0) {
    const def = tree.defs[i];
    if (def !== undefined && def.start <= offset && offset < def.end) return symbolPathOf(tree, i);
    i = tree.parent[i] ?? -1;
  }
  return [];
}
