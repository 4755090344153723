/**
 * Directories the scanner never enters unless an ignore file re-includes them explicitly
 * (for example `!vendor/` in `.squeezeignore`): VCS data, dependencies, caches and build output.
 * Pure: no Node built-ins.
 */

/** Directory names excluded wherever they appear (case-sensitive, as on disk). */
export const EXCLUDED_DIR_NAMES: ReadonlySet<string> = new Set([
  // version control and tools of this project
  '.git',
  '.hg',
  '.svn',
  '.bzr',
  '_darcs',
  '.jj',
  '.squeeze',
  '.vscode-test',
  '.vscode-e2e',
  // dependencies
  'node_modules',
  'bower_components',
  'jspm_packages',
  '.yarn',
  '.pnpm-store',
  'vendor',
  'Pods',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.eggs',
  '.bundle',
  '.dart_tool',
  '.gradle',
  '.m2',
  '.terraform',
  // build output
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.angular',
  '.output',
  'DerivedData',
  // caches, coverage, IDE state
  'coverage',
  '.nyc_output',
  'htmlcov',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.cache',
  '.parcel-cache',
  '.turbo',
  '.idea',
  '.vs',
]);

/** Directory name suffixes excluded wherever they appear (`foo.egg-info`). */
export const EXCLUDED_DIR_SUFFIXES: readonly string[] = ['.egg-info'];

/**
 * Names that are build output only next to a project file: `bin`/`obj` beside a .NET project,
 * `target` beside a Cargo, Maven or sbt build. Elsewhere (`bin/` of shell scripts) they are source.
 */
export const CONTEXTUAL_EXCLUDED_DIRS: readonly { readonly name: string; readonly siblingPattern: RegExp }[] = [
  { name: 'bin', siblingPattern: /\.(?:csproj|fsproj|vbproj|sln)$/ },
  { name: 'obj', siblingPattern: /\.(?:csproj|fsproj|vbproj|sln)$/ },
  { name: 'target', siblingPattern: /^(?:Cargo\.toml|pom\.xml|build\.sbt|project\.clj)$/ },
];

/** File names excluded wherever they appear: VCS pointers and OS litter. */
export const EXCLUDED_FILE_NAMES: ReadonlySet<string> = new Set(['.git', '.DS_Store', 'Thumbs.db', 'desktop.ini']);

/**
 * True when a directory of this name is built-in excluded. `siblingNames` are the names of the other
 * entries of its parent directory, needed by the contextual rules.
 */
export function isExcludedDirName(name: string, siblingNames: readonly string[] = []): boolean {
  if (EXCLUDED_DIR_NAMES.has(name)) return true;
  if (EXCLUDED_DIR_SUFFIXES.some((s) => name.endsWith(s))) return true;
  const rule = CONTEXTUAL_EXCLUDED_DIRS.find((r) => r.name === name);
  return rule !== undefined && siblingNames.some((s) => rule.siblingPattern.test(s));
}

/** True when a file of this name is built-in excluded. */
export function isExcludedFileName(name: string): boolean {
  return EXCLUDED_FILE_NAMES.has(name);
}
