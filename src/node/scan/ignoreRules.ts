/**
 * Git's ignore semantics over a tree: one matcher per directory that holds a `.gitignore` or a
 * `.squeezeignore`, each applied to paths relative to its own directory. The deepest matcher with a
 * matching rule decides (last matching rule wins inside one matcher, `!` re-includes), as in git.
 *
 * Precedence, lowest first: `.git/info/exclude`, then per directory `.gitignore` then `.squeezeignore`
 * (so `.squeezeignore` can re-include what git ignores), deeper directories over shallower ones, and
 * the extra patterns of the options (settings such as `files.exclude`) over everything.
 */
import ignore, { type Ignore } from 'ignore';
import path from 'node:path';
import type { Logger } from '../../common/log.ts';
import { NODE_SCAN_FS, fsErrorCode, type ScanFileSystem } from './scanFileSystem.ts';

/** `ignored`: excluded by a rule; `unignored`: re-included by an explicit `!` rule; `none`: no rule matched. */
export type IgnoreVerdict = 'ignored' | 'unignored' | 'none';

export const IGNORE_FILE_NAMES: readonly string[] = ['.gitignore', '.squeezeignore'];
export const GIT_INFO_EXCLUDE = '.git/info/exclude';

export interface IgnoreRulesOptions {
  /** Gitignore-style patterns relative to the root, with the highest precedence. */
  readonly extraPatterns?: readonly string[];
  /** Match case-insensitively; defaults to true on macOS and Windows, as git does there. */
  readonly ignoreCase?: boolean;
  readonly fs?: ScanFileSystem;
  readonly logger?: Logger;
}

interface Layer {
  /** Directory of the ignore files, relative to the root, '' for the root, else ending with '/'. */
  readonly base: string;
  readonly matcher: Ignore;
}

interface Context {
  readonly ignoreCase: boolean;
  readonly fs: ScanFileSystem;
  readonly logger: Logger | undefined;
  readonly root: string;
  /** The extra patterns, tested before every directory layer. */
  readonly extra: Layer | undefined;
}

export class IgnoreRules {
  private readonly context: Context;
  /** Directory layers, deepest first. */
  private readonly layers: readonly Layer[];

  private constructor(context: Context, layers: readonly Layer[]) {
    this.context = context;
    this.layers = layers;
  }

  /** Loads the rules that apply at the root: `.git/info/exclude`, root ignore files, extra patterns. */
  static async forRoot(root: string, entryNames: Iterable<string>, options: IgnoreRulesOptions = {}): Promise<IgnoreRules> {
    const ignoreCase = options.ignoreCase ?? (process.platform === 'darwin' || process.platform === 'win32');
    const extraPatterns = options.extraPatterns ?? [];
    const context: Context = {
      ignoreCase,
      fs: options.fs ?? NODE_SCAN_FS,
      logger: options.logger,
      root,
      extra: extraPatterns.length > 0 ? { base: '', matcher: ignore({ ignoreCase }).add(safePatterns(extraPatterns, 'extra patterns', options.logger)) } : undefined,
    };
    const exclude = await readIgnoreFile(context, GIT_INFO_EXCLUDE);
    return new IgnoreRules(context, []).withDirectory('', entryNames, exclude);
  }

  /**
   * The rules that apply inside directory `dir` (relative, '' for the root), given the names of its
   * entries: adds a layer when it holds an ignore file, else returns this object.
   */
  async withDirectory(dir: string, entryNames: Iterable<string>, lowerPatterns: readonly string[] = []): Promise<IgnoreRules> {
    const names = new Set(entryNames);
    const base = dir === '' ? '' : `${dir}/`;
    const patterns = [...lowerPatterns];
    for (const file of IGNORE_FILE_NAMES) {
      if (names.has(file)) patterns.push(...(await readIgnoreFile(this.context, base + file)));
    }
    if (patterns.length === 0) return this;
    const layer: Layer = { base, matcher: ignore({ ignoreCase: this.context.ignoreCase }).add(safePatterns(patterns, `ignore files of /${base}`, this.context.logger)) };
    return new IgnoreRules(this.context, [layer, ...this.layers]);
  }

  /** The verdict for a path relative to the root; directories are tested with a trailing slash. */
  test(relPath: string, isDirectory: boolean): IgnoreVerdict {
    const target = isDirectory ? `${relPath}/` : relPath;
    const extra = this.context.extra === undefined ? 'none' : testLayer(this.context.extra, target);
    if (extra !== 'none') return extra;
    for (const layer of this.layers) {
      const verdict = testLayer(layer, target);
      if (verdict !== 'none') return verdict;
    }
    return 'none';
  }
}

/**
 * Most wildcard runs (`*`) one path segment of a pattern may hold. The matcher compiles patterns to
 * regular expressions that backtrack in time (name length)^(wildcards) on a name they do not match: one
 * `*a*a*a*a*a*a*a*a*a*a*b` line in a .gitignore stalled the scan for hours on a long file name. Such a
 * pattern is not applied, with a warning; `**` segments do not count. A bare `!` line is dropped too.
 */
export const MAX_SEGMENT_WILDCARDS = 3;

function safePatterns(patterns: readonly string[], source: string, logger: Logger | undefined): string[] {
  return patterns.filter((p) => {
    // A bare `!` negates nothing in git, but the matcher reads it as "re-include everything".
    if (/^!\s*$/.test(p)) return false;
    const runs = p.split('/').reduce((most, seg) => Math.max(most, seg === '**' ? 0 : (seg.match(/\*+/g)?.length ?? 0)), 0);
    if (runs <= MAX_SEGMENT_WILDCARDS) return true;
    logger?.warn(`ignore pattern "${p.slice(0, 80)}" in ${source} has more than ${MAX_SEGMENT_WILDCARDS} wildcards in one segment; it is not applied`);
    return false;
  });
}

function testLayer(layer: Layer, target: string): IgnoreVerdict {
  if (!target.startsWith(layer.base)) return 'none';
  const relative = target.slice(layer.base.length);
  const result = layer.matcher.test(relative);
  return result.ignored ? 'ignored' : result.unignored ? 'unignored' : 'none';
}

/** The pattern lines of an ignore file (blank lines and comments are handled by the matcher); [] when absent. */
async function readIgnoreFile(context: Context, relPath: string): Promise<string[]> {
  try {
    const bytes = await context.fs.readFile(path.join(context.root, relPath));
    return new TextDecoder().decode(bytes).split(/\r?\n/);
  } catch (e) {
    const code = fsErrorCode(e);
    if (code === undefined) throw e;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') context.logger?.warn(`cannot read ${relPath} (${code}); its rules are not applied`);
    return [];
  }
}
