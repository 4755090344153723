/**
 * Loads web-tree-sitter and grammar wasm files, once per process and once per grammar.
 *
 * Where the wasm files are: an explicit directory if given; else a `grammars/` folder holding
 * `web-tree-sitter.wasm` next to the running bundle (esbuild copies them to `dist/grammars/`; workers run
 * from `dist/workers/`, so the parent is tried too); else the installed packages in node_modules.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export const RUNTIME_WASM = 'web-tree-sitter.wasm';

export interface GrammarLocation {
  /** Path of `web-tree-sitter.wasm`. */
  readonly runtimeWasm: string;
  /** Directory holding `tree-sitter-<grammar>.wasm`. */
  readonly grammarDir: string;
}

/** Directory of the running CommonJS bundle; undefined when running as an ES module (tests, tsx). */
export function bundleDir(): string | undefined {
  return typeof __dirname === 'string' ? __dirname : undefined;
}

function moduleRequire(): NodeJS.Require {
  return typeof __filename === 'string' ? createRequire(__filename) : createRequire(import.meta.url);
}

/** Resolves where the runtime and grammar wasm files are (see the file comment). */
export function resolveGrammarLocation(grammarDir?: string): GrammarLocation {
  if (grammarDir !== undefined) {
    const own = path.join(grammarDir, RUNTIME_WASM);
    const runtimeWasm = fs.existsSync(own) ? own : moduleRequire().resolve(`web-tree-sitter/${RUNTIME_WASM}`);
    return { runtimeWasm, grammarDir };
  }
  const dir = bundleDir();
  for (const candidate of dir === undefined ? [] : [path.join(dir, 'grammars'), path.join(dir, '..', 'grammars')]) {
    if (fs.existsSync(path.join(candidate, RUNTIME_WASM))) {
      return { runtimeWasm: path.join(candidate, RUNTIME_WASM), grammarDir: candidate };
    }
  }
  const req = moduleRequire();
  const runtimeWasm = req.resolve(`web-tree-sitter/${RUNTIME_WASM}`);
  const packageJson = req.resolve('@repomix/tree-sitter-wasms/package.json');
  return { runtimeWasm, grammarDir: path.join(path.dirname(packageJson), 'out') };
}

let initPromise: Promise<void> | undefined;
const languages = new Map<string, Promise<Language>>();

/** Initialises web-tree-sitter once per process (later calls share the first call's result). */
export function initTreeSitter(runtimeWasm: string): Promise<void> {
  initPromise ??= Parser.init({ locateFile: () => runtimeWasm }).catch((e: unknown) => {
    initPromise = undefined;
    throw e;
  });
  return initPromise;
}

export function grammarWasmPath(location: GrammarLocation, grammar: string): string {
  return path.join(location.grammarDir, `tree-sitter-${grammar}.wasm`);
}

/**
 * The `Language` of a grammar (`typescript`, `c_sharp`, ...), loaded once per wasm path. A failed load
 * is cached too, so a missing grammar is reported once rather than on every file.
 */
export function loadLanguage(grammar: string, location: GrammarLocation = resolveGrammarLocation()): Promise<Language> {
  const wasm = grammarWasmPath(location, grammar);
  let promise = languages.get(wasm);
  if (promise === undefined) {
    promise = initTreeSitter(location.runtimeWasm)
      .then(() => fs.promises.readFile(wasm))
      .then((bytes) => Language.load(bytes));
    languages.set(wasm, promise);
  }
  return promise;
}
