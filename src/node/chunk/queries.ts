/**
 * Reads the per-language data in `syntaxes/` (definition queries `<query>.scm` and `nodeTypes.json`),
 * compiles queries once per language, and turns query matches into definitions.
 *
 * `syntaxes/` is found at `<extension root>/syntaxes` (the bundle runs from `dist/` or `dist/workers/`),
 * or at the repository root when running from sources (tests); an explicit directory wins.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Query, type Language, type Node, type QueryCapture } from 'web-tree-sitter';
import type { SourceDefinition } from '../../common/chunk/symbolPaths.ts';
import { bundleDir } from './languageLoader.ts';

export const NODE_TYPES_FILE = 'nodeTypes.json';

export interface GrammarNodeTypes {
  /** Node types that are comments. */
  readonly comments: readonly string[];
}

const DEFAULT_NODE_TYPES: GrammarNodeTypes = { comments: ['comment'] };

/** Finds the `syntaxes/` directory (see the file comment). */
export function resolveSyntaxDir(syntaxDir?: string): string {
  if (syntaxDir !== undefined) return syntaxDir;
  const dir = bundleDir();
  const candidates =
    dir === undefined
      ? [path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../syntaxes')]
      : [path.join(dir, '..', 'syntaxes'), path.join(dir, '..', '..', 'syntaxes')];
  return candidates.find((c) => fs.existsSync(path.join(c, NODE_TYPES_FILE))) ?? candidates[0] ?? 'syntaxes';
}

/** Parses `nodeTypes.json`: grammar name → node types. */
export function readNodeTypes(syntaxDir: string): ReadonlyMap<string, GrammarNodeTypes> {
  const raw = JSON.parse(fs.readFileSync(path.join(syntaxDir, NODE_TYPES_FILE), 'utf8')) as Record<string, unknown>;
  const out = new Map<string, GrammarNodeTypes>();
  for (const [grammar, value] of Object.entries(raw)) {
    if (grammar.startsWith('$') || typeof value !== 'object' || value === null) continue;
    const comments = (value as { comments?: unknown }).comments;
    out.set(grammar, { comments: Array.isArray(comments) ? comments.filter((c) => typeof c === 'string') : [] });
  }
  return out;
}

/**
 * Compiled queries, per Language and query file, for the life of the process (like the Languages they
 * belong to): compiling a query costs up to a few hundred ms, so chunkers share them.
 */
const COMPILED = new WeakMap<Language, Map<string, Query>>();

/** Definition queries and node-type data of one `syntaxes/` directory. */
export class QueryCache {
  readonly syntaxDir: string;
  private nodeTypes: ReadonlyMap<string, GrammarNodeTypes> | undefined;

  constructor(options: { syntaxDir?: string } = {}) {
    this.syntaxDir = resolveSyntaxDir(options.syntaxDir);
  }

  /** The compiled `<name>.scm` for `language`; throws when the file is missing or does not compile. */
  definitions(name: string, language: Language): Query {
    const file = path.join(this.syntaxDir, `${name}.scm`);
    let perLanguage = COMPILED.get(language);
    if (perLanguage === undefined) {
      perLanguage = new Map();
      COMPILED.set(language, perLanguage);
    }
    let query = perLanguage.get(file);
    if (query === undefined) {
      query = new Query(language, fs.readFileSync(file, 'utf8'));
      perLanguage.set(file, query);
    }
    return query;
  }

  nodeTypesFor(grammar: string): GrammarNodeTypes {
    try {
      this.nodeTypes ??= readNodeTypes(this.syntaxDir);
    } catch {
      this.nodeTypes = new Map();
    }
    return this.nodeTypes.get(grammar) ?? DEFAULT_NODE_TYPES;
  }
}

function nodeKey(node: Node): string {
  return `${node.startIndex}:${node.endIndex}:${node.type}`;
}

function toDefinition(captures: readonly QueryCapture[], text: string): SourceDefinition | undefined {
  const def = captures.find((c) => c.name.startsWith('definition.'));
  const name = captures.find((c) => c.name === 'name');
  if (def === undefined || name === undefined) return undefined;
  const body = captures.find((c) => c.name === 'body')?.node ?? def.node.childForFieldName('body');
  const base = {
    kind: def.name.slice('definition.'.length),
    name: text.slice(name.node.startIndex, name.node.endIndex).replace(/\s+/g, ' '),
    start: def.node.startIndex,
    end: def.node.endIndex,
  };
  return body ? { ...base, body: { start: body.startIndex, end: body.endIndex } } : base;
}

/**
 * Runs a definition query over a tree. When several patterns capture the same node, the earliest pattern
 * in the query file wins. `progressCallback` may return true to stop the query (fewer definitions).
 */
export function captureDefinitions(
  query: Query,
  root: Node,
  text: string,
  progressCallback?: () => boolean,
): SourceDefinition[] {
  const best = new Map<string, { pattern: number; def: SourceDefinition }>();
  const matches = query.matches(root, progressCallback ? { progressCallback } : {});
  for (const m of matches) {
    const defCapture = m.captures.find((c) => c.name.startsWith('definition.'));
    if (defCapture === undefined) continue;
    const key = nodeKey(defCapture.node);
    const known = best.get(key);
    if (known !== undefined && known.pattern <= m.patternIndex) continue;
    const def = toDefinition(m.captures, text);
    if (def !== undefined) best.set(key, { pattern: m.patternIndex, def });
  }
  return [...best.values()].map((v) => v.def);
}
