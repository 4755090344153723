import path from 'node:path';
import { IndexMissingError, openSearchIndex, type SearchIndex } from '../../node/indexer/searchIndex.ts';
import { EXIT, intOption, parseCommandArgs, type CliCommand, type CliIo } from '../cliCommand.ts';
import { formatDuration, formatHits, hitsToJson } from '../formatResults.ts';
import { cliLogger, indexWithProgress } from '../indexWithProgress.ts';
import { repositoryArg } from './indexCommand.ts';

const OPTIONS = {
  top: { type: 'string', short: 'k' },
  'index-dir': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: squeeze search <dir> "<query>" [-k N] [--index-dir D] [--json] [--verbose]

Ranks the chunks of <dir> against the query and prints the best ones as
  path:start-end  score  symbol
A folder without an index (or with an interrupted one) is indexed first.

Options:
  -k, --top N      number of results (default 10)
  --index-dir D    where the index lives (default: <dir>/.squeeze)
  --json           print a JSON array of hits (path, lines, score, symbolPath, text)
  -v, --verbose    log every step on stderr
  -h, --help       show this help
`;

export interface EnsureIndexOptions {
  readonly indexDir?: string;
  readonly verbose: boolean;
}

/** Opens the index of `root`; builds (or finishes) it first when there is none usable, and says so. */
export async function ensureSearchIndex(root: string, io: CliIo, options: EnsureIndexOptions): Promise<SearchIndex> {
  const logger = cliLogger(io, options.verbose);
  const dirOption = options.indexDir ? { indexDir: options.indexDir } : {};
  let reason: string | undefined;
  try {
    const index = await openSearchIndex(root, { ...dirOption, logger });
    if (index.complete) return index;
    reason = 'the last indexing run was interrupted; continuing it';
  } catch (e) {
    if (!(e instanceof IndexMissingError)) throw e;
    reason = e.reason;
  }
  io.stderr.write(`No complete index for ${root} (${reason}): indexing it first.\n`);
  const summary = await indexWithProgress(root, io, { ...dirOption, verbose: options.verbose, verify: true });
  io.stderr.write(`Indexed ${summary.files} files, ${summary.chunks} chunks in ${formatDuration(summary.durationMs)}.\n`);
  return openSearchIndex(root, { ...dirOption, logger });
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const k = intOption(values.top, '-k/--top', 1) ?? 10;
  const root = await repositoryArg(positionals, { min: 2, max: 2 });
  const query = positionals[1] ?? '';
  const index = await ensureSearchIndex(root, io, {
    verbose: values.verbose === true,
    ...(values['index-dir'] ? { indexDir: path.resolve(values['index-dir']) } : {}),
  });
  const hits = await index.search(query, k, io.token);
  if (values.json) io.stdout.write(`${JSON.stringify(hitsToJson(hits), null, 2)}\n`);
  else if (hits.length === 0) io.stderr.write('No matching chunks.\n');
  else io.stdout.write(`${formatHits(hits).join('\n')}\n`);
  return EXIT.ok;
}

export const SEARCH_COMMAND: CliCommand = {
  name: 'search',
  summary: 'Search an indexed repository ("path:start-end  score  symbol")',
  usage: USAGE,
  run,
};
