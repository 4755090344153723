/**
 * Languages the chunker knows. Ids are VS Code language ids (so `TextDocument.languageId` can be passed
 * straight in). Languages with a `grammar` are parsed with `tree-sitter-<grammar>.wasm` and queried with
 * `syntaxes/<query>.scm`; the others are chunked by lines.
 */

/** How `collapsed` marks a removed body: `{ … }` after a brace body, `...` for indented bodies. */
export type BodyMarkerStyle = 'braces' | 'indent';

export interface LanguageSpec {
  readonly extensions: readonly string[];
  /** Exact file names (lower case), for files without a telling extension. */
  readonly fileNames?: readonly string[];
  /** Grammar wasm base name: `tree-sitter-<grammar>.wasm`. */
  readonly grammar?: string;
  /** Query file base name in `syntaxes/`: `<query>.scm`. */
  readonly query?: string;
  readonly bodyMarker: BodyMarkerStyle;
}

const parsed = (grammar: string, extensions: readonly string[], bodyMarker: BodyMarkerStyle = 'braces'): LanguageSpec => ({
  extensions,
  grammar,
  query: grammar,
  bodyMarker,
});
const lines = (extensions: readonly string[], fileNames?: readonly string[]): LanguageSpec =>
  fileNames ? { extensions, fileNames, bodyMarker: 'braces' } : { extensions, bodyMarker: 'braces' };

export const LANGUAGES: Readonly<Record<string, LanguageSpec>> = {
  typescript: parsed('typescript', ['.ts', '.mts', '.cts']),
  typescriptreact: parsed('tsx', ['.tsx']),
  javascript: parsed('javascript', ['.js', '.mjs', '.cjs']),
  javascriptreact: parsed('javascript', ['.jsx']),
  python: parsed('python', ['.py', '.pyi'], 'indent'),
  java: parsed('java', ['.java']),
  go: parsed('go', ['.go']),
  rust: parsed('rust', ['.rs']),
  c: parsed('c', ['.c', '.h']),
  cpp: parsed('cpp', ['.cc', '.cpp', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h++', '.ipp', '.tpp']),
  csharp: parsed('c_sharp', ['.cs']),
  markdown: lines(['.md', '.markdown', '.mdx']),
  json: lines(['.json', '.jsonl', '.geojson']),
  jsonc: lines(['.jsonc', '.json5']),
  yaml: lines(['.yml', '.yaml']),
  toml: lines(['.toml']),
  xml: lines(['.xml', '.xsd', '.xsl', '.svg', '.plist', '.csproj', '.props']),
  html: lines(['.html', '.htm', '.xhtml']),
  css: lines(['.css']),
  scss: lines(['.scss', '.sass']),
  less: lines(['.less']),
  shellscript: lines(['.sh', '.bash', '.zsh', '.ksh'], ['.bashrc', '.zshrc', '.profile']),
  powershell: lines(['.ps1', '.psm1']),
  bat: lines(['.bat', '.cmd']),
  ruby: lines(['.rb', '.rake', '.gemspec'], ['gemfile', 'rakefile']),
  php: lines(['.php', '.phtml']),
  kotlin: lines(['.kt', '.kts']),
  swift: lines(['.swift']),
  scala: lines(['.scala', '.sc']),
  dart: lines(['.dart']),
  lua: lines(['.lua']),
  perl: lines(['.pl', '.pm']),
  r: lines(['.r']),
  sql: lines(['.sql']),
  vue: lines(['.vue']),
  svelte: lines(['.svelte']),
  elixir: lines(['.ex', '.exs']),
  erlang: lines(['.erl', '.hrl']),
  haskell: lines(['.hs']),
  ocaml: lines(['.ml', '.mli']),
  fsharp: lines(['.fs', '.fsi', '.fsx']),
  clojure: lines(['.clj', '.cljs', '.cljc', '.edn']),
  zig: lines(['.zig']),
  groovy: lines(['.groovy', '.gradle']),
  graphql: lines(['.graphql', '.gql']),
  proto: lines(['.proto']),
  dockerfile: lines(['.dockerfile'], ['dockerfile', 'containerfile']),
  makefile: lines(['.mk', '.mak'], ['makefile', 'gnumakefile']),
  cmake: lines(['.cmake'], ['cmakelists.txt']),
  ini: lines(['.ini', '.cfg', '.conf', '.properties']),
  plaintext: lines(['.txt', '.text', '.log']),
};

/** Other names callers use for the same languages (grammar names, short names). */
const ALIASES: Readonly<Record<string, string>> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  py: 'python',
  rs: 'rust',
  'c++': 'cpp',
  c_sharp: 'csharp',
  'c#': 'csharp',
  cs: 'csharp',
  shell: 'shellscript',
  sh: 'shellscript',
  bash: 'shellscript',
  text: 'plaintext',
};

function buildIndex(key: 'extensions' | 'fileNames'): Map<string, string> {
  const index = new Map<string, string>();
  for (const [id, spec] of Object.entries(LANGUAGES)) {
    for (const name of spec[key] ?? []) if (!index.has(name)) index.set(name, id);
  }
  return index;
}

const BY_EXTENSION = buildIndex('extensions');
const BY_FILE_NAME = buildIndex('fileNames');

/** The language id for a file path ('/' or '\\' separated); 'plaintext' when unknown. */
export function languageForPath(path: string): string {
  const base = (path.split(/[\\/]/).pop() ?? '').toLowerCase();
  const byName = BY_FILE_NAME.get(base);
  if (byName !== undefined) return byName;
  const dot = base.lastIndexOf('.');
  if (dot < 0) return 'plaintext';
  return BY_EXTENSION.get(base.slice(dot)) ?? 'plaintext';
}

/** Maps an alias or a grammar name to a language id of LANGUAGES; unknown ids are returned lower-cased. */
export function normalizeLanguageId(id: string): string {
  const lower = id.toLowerCase();
  return ALIASES[lower] ?? lower;
}

export function languageSpec(id: string): LanguageSpec | undefined {
  return LANGUAGES[normalizeLanguageId(id)];
}

/** Grammar wasm base names of every parsed language, without duplicates. */
export const GRAMMARS: readonly string[] = [
  ...new Set(Object.values(LANGUAGES).flatMap((s) => (s.grammar === undefined ? [] : [s.grammar]))),
];
