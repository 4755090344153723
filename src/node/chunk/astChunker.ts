/**
 * Chunks source files by syntax: parse with tree-sitter, find definitions with `syntaxes/<lang>.scm`,
 * SEA-split into pieces and group them into chunks that tile the file. Files without a grammar, whose
 * grammar fails to load, whose parse throws or runs past the time budget, use the line chunker instead.
 * Trees with syntax errors are still split by syntax: tree-sitter recovers locally, and the chunks
 * tile the file either way.
 */
import { Parser, type Language, type Node, type Query, type Tree } from 'web-tree-sitter';
import type { Chunk } from '../../common/chunk/chunk.ts';
import { buildChunks } from '../../common/chunk/chunkBuilder.ts';
import { LANGUAGES, languageForPath, normalizeLanguageId } from '../../common/chunk/languages.ts';
import { chunkByLines, DEFAULT_CHUNK_TOKENS } from '../../common/chunk/lineChunker.ts';
import { LineIndex } from '../../common/chunk/lineIndex.ts';
import { seaSplit } from '../../common/chunk/seaSplit.ts';
import type { SourceDefinition } from '../../common/chunk/symbolPaths.ts';
import { NULL_LOGGER, type Logger } from '../../common/log.ts';
import { loadLanguage, resolveGrammarLocation, type GrammarLocation } from './languageLoader.ts';
import { captureDefinitions, QueryCache } from './queries.ts';

export interface AstChunkerOptions {
  /** Target chunk size in estimated tokens (default 256). */
  readonly chunkTokens?: number;
  readonly logger?: Logger;
  /** Directory with `web-tree-sitter.wasm` (optional) and `tree-sitter-<grammar>.wasm`. */
  readonly grammarDir?: string;
  /** Directory with `<lang>.scm` and `nodeTypes.json`. */
  readonly syntaxDir?: string;
  /** Parse time budget per file; past it the file is chunked by lines (default 3000 ms). */
  readonly parseTimeoutMs?: number;
  /** Files longer than this (UTF-16 code units) are chunked by lines without parsing (default 5,000,000). */
  readonly maxParseChars?: number;
}

interface LoadedGrammar {
  readonly name: string;
  readonly parser: Parser;
  /** Undefined when the query failed to load or compile: chunks then carry no definitions. */
  readonly query: Query | undefined;
  readonly comments: readonly string[];
}

interface FileInput {
  readonly path: string;
  readonly text: string;
  readonly language: string;
}

export class AstChunker {
  private readonly chunkTokens: number;
  private readonly logger: Logger;
  private readonly grammarDir: string | undefined;
  private readonly parseTimeoutMs: number;
  private readonly maxParseChars: number;
  private readonly queries: QueryCache;
  private readonly grammars = new Map<string, Promise<LoadedGrammar | undefined>>();
  private location: GrammarLocation | undefined;
  private disposed = false;

  constructor(options: AstChunkerOptions = {}) {
    this.chunkTokens = options.chunkTokens ?? DEFAULT_CHUNK_TOKENS;
    this.logger = options.logger ?? NULL_LOGGER;
    this.grammarDir = options.grammarDir;
    this.parseTimeoutMs = options.parseTimeoutMs ?? 3000;
    this.maxParseChars = options.maxParseChars ?? 5_000_000;
    this.queries = new QueryCache(options.syntaxDir === undefined ? {} : { syntaxDir: options.syntaxDir });
  }

  /** Chunks one file. `language` is a language id (default: from the path's extension). */
  async chunk(path: string, text: string, language?: string): Promise<Chunk[]> {
    if (this.disposed) throw new Error('AstChunker is disposed');
    const file: FileInput = { path, text, language: normalizeLanguageId(language ?? languageForPath(path)) };
    const spec = LANGUAGES[file.language];
    if (text.length === 0) return [];
    if (spec?.grammar === undefined) return this.byLines(file);
    if (text.length > this.maxParseChars) {
      this.logger.debug(`PARSE_SKIPPED_SIZE ${path}: ${text.length} chars; chunked by lines`);
      return this.byLines(file);
    }
    const grammar = await this.grammar(spec.grammar, spec.query ?? spec.grammar);
    if (grammar === undefined || this.disposed) return this.byLines(file);
    return this.chunkParsed(file, grammar);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const g of this.grammars.values()) void g.then((loaded) => loaded?.parser.delete());
    this.grammars.clear();
  }

  private byLines(file: FileInput, lines?: LineIndex): Chunk[] {
    return chunkByLines(file, this.chunkTokens, lines);
  }

  private grammar(name: string, queryName: string): Promise<LoadedGrammar | undefined> {
    let loaded = this.grammars.get(name);
    if (loaded === undefined) {
      loaded = this.loadGrammar(name, queryName);
      this.grammars.set(name, loaded);
    }
    return loaded;
  }

  /** Loads a grammar and its query; logs once and resolves undefined when the grammar fails to load. */
  private async loadGrammar(name: string, queryName: string): Promise<LoadedGrammar | undefined> {
    let language: Language;
    try {
      this.location ??= resolveGrammarLocation(this.grammarDir);
      language = await loadLanguage(name, this.location);
    } catch (e) {
      this.logger.warn(`GRAMMAR_LOAD_FAILED ${name}: ${String(e)}; its files are chunked by lines`);
      return undefined;
    }
    const parser = new Parser();
    parser.setLanguage(language);
    let query: Query | undefined;
    try {
      query = this.queries.definitions(queryName, language);
    } catch (e) {
      this.logger.warn(`QUERY_LOAD_FAILED ${queryName}.scm: ${String(e)}; chunks of ${name} files carry no definitions`);
    }
    return { name, parser, query, comments: this.queries.nodeTypesFor(name).comments };
  }

  private chunkParsed(file: FileInput, grammar: LoadedGrammar): Chunk[] {
    const lines = new LineIndex(file.text);
    const tree = this.parse(file, grammar);
    if (tree === undefined) return this.byLines(file, lines);
    try {
      const root = tree.rootNode;
      if (root.hasError) this.logger.debug(`PARSE_HAS_ERRORS ${file.path}: split by syntax anyway`);
      const definitions = this.definitions(file, grammar, root);
      const split = seaSplit(root, file.text, { budgetTokens: this.chunkTokens, commentTypes: grammar.comments, lines });
      return buildChunks({ ...file, spans: split.chunks, definitions, parser: 'tree-sitter', lines });
    } catch (e) {
      this.logger.warn(`CHUNK_FAILED ${file.path}: ${String(e)}; chunked by lines`);
      return this.byLines(file, lines);
    } finally {
      tree.delete();
    }
  }

  /** Parses within the time budget; undefined (after logging why) when the parse fails or times out. */
  private parse(file: FileInput, grammar: LoadedGrammar): Tree | undefined {
    const deadline = performance.now() + this.parseTimeoutMs;
    try {
      const tree = grammar.parser.parse(file.text, null, { progressCallback: () => performance.now() > deadline });
      if (tree !== null) return tree;
      grammar.parser.reset();
      this.logger.warn(`PARSE_TIMEOUT ${file.path}: over ${this.parseTimeoutMs} ms; chunked by lines`);
    } catch (e) {
      grammar.parser.reset();
      this.logger.warn(`PARSE_FAILED ${file.path}: ${String(e)}; chunked by lines`);
    }
    return undefined;
  }

  /** Definitions from the query, within the time budget (a partial list is logged). */
  private definitions(file: FileInput, grammar: LoadedGrammar, root: Node): SourceDefinition[] {
    if (grammar.query === undefined) return [];
    const deadline = performance.now() + this.parseTimeoutMs;
    let timedOut = false;
    const defs = captureDefinitions(grammar.query, root, file.text, () => (timedOut ||= performance.now() > deadline));
    if (timedOut) this.logger.warn(`QUERY_TIMEOUT ${file.path}: over ${this.parseTimeoutMs} ms; definitions may be incomplete`);
    return defs;
  }
}
