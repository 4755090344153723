import path from 'node:path';
import { IndexMissingError, openSearchIndex, type SearchIndex } from '../../node/indexer/searchIndex.ts';
import { EXIT, intOption, parseCommandArgs, type CliCommand, type CliIo } from '../cliCommand.ts';
import type { CentroidSettings } from '../../common/search/clusteredSearch.ts';
import { formatDuration, formatExplain, formatHits, hitsToJson } from '../formatResults.ts';
import { cliLogger, indexWithProgress, withIndexEncoder } from '../indexWithProgress.ts';
import type { IndexEncoder } from '../../node/indexer/indexEncoder.ts';
import { ENCODER_MISMATCH } from '../../node/store/indexManifest.ts';
import { repositoryArg } from './indexCommand.ts';

const OPTIONS = {
  top: { type: 'string', short: 'k' },
  'index-dir': { type: 'string' },
  encoder: { type: 'string' },
  json: { type: 'boolean' },
  explain: { type: 'boolean' },
  exact: { type: 'boolean' },
  'min-chunks': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: squeeze search <dir> "<query>" [-k N] [--index-dir D] [--encoder DIR] [--json] [--explain]
                      [--exact | --min-chunks N] [--verbose]

Ranks the chunks of <dir> against the query and prints the best ones as
  path:start-end  score  cluster C/F  mass M  symbol
An index of at least 2,000 chunks is searched through its squeezed-attention
centroid index: the query's estimated attention mass per cluster picks the
clusters worth scoring, and only their chunks are scored exactly. Each hit
shows its coarse/fine cluster C/F and that cluster's estimated mass M (the
attention weight of one of its chunks). Smaller indexes are searched exactly
(no cluster column). A folder without an index (or with an interrupted one)
is indexed first.

Options:
  -k, --top N       number of results (default 10)
  --index-dir D     where the index lives (default: <dir>/.squeeze)
  --encoder DIR     the ONNX encoder the index was built with (squeeze index --encoder DIR)
  --json            print a JSON array of hits (path, lines, score, symbolPath,
                    cluster and mass when known, text)
  --explain         also print what the lookup scored: clusters scored and kept
                    per level with their threshold τ, vectors scored (with
                    --json: print {"hits": [...], "explain": {...}})
  --exact           score every chunk (no centroid index)
  --min-chunks N    use the centroid index from N chunks up (default 2000)
  -v, --verbose     log every step on stderr
  -h, --help        show this help
`;

export interface EnsureIndexOptions {
  readonly indexDir?: string;
  readonly verbose: boolean;
  /** Centroid lookup settings (e.g. minChunks); defaults otherwise. */
  readonly centroids?: Partial<CentroidSettings>;
  /** The dense encoder of `--encoder` (default: the built-in hashed encoder). */
  readonly encoder?: IndexEncoder;
}

/**
 * Opens the index of `root`; builds (or finishes) it first when there is none usable, and says so. An index
 * built with another encoder is left alone: rebuilding it would throw away an encoding run (minutes with an
 * ONNX encoder) because a flag was forgotten, so the error says which flag reads it and how to rebuild it.
 */
export async function ensureSearchIndex(root: string, io: CliIo, options: EnsureIndexOptions): Promise<SearchIndex> {
  const logger = cliLogger(io, options.verbose);
  const dirOption = {
    ...(options.indexDir ? { indexDir: options.indexDir } : {}), ...(options.centroids ? { centroids: options.centroids } : {}), ...(options.encoder ? { encoder: options.encoder } : {}),
  };
  const held: string[] = [];
  let reason: string | undefined;
  try {
    const index = await openSearchIndex(root, { ...dirOption, logger: { ...logger, warn: (m) => held.push(m) } });
    if (index.complete) return index;
    reason = 'the last indexing run was interrupted; continuing it';
  } catch (e) {
    if (!(e instanceof IndexMissingError)) throw e;
    reason = e.reason;
  } finally {
    if (!reason?.startsWith(ENCODER_MISMATCH)) for (const m of held) logger.warn(m);
  }
  if (reason.startsWith(ENCODER_MISMATCH)) throw new Error(encoderMismatchMessage(root, reason, options.encoder !== undefined));
  io.stderr.write(`No complete index for ${root} (${reason}): indexing it first.\n`);
  const summary = await indexWithProgress(root, io, { ...dirOption, verbose: options.verbose, verify: true });
  io.stderr.write(`Indexed ${summary.files} files, ${summary.chunks} chunks in ${formatDuration(summary.durationMs)}.\n`);
  return openSearchIndex(root, { ...dirOption, logger });
}

/** What to do about an index built with another encoder than the one this command was given. */
export function encoderMismatchMessage(root: string, reason: string, withEncoder: boolean): string {
  const builtWithOnnx = reason.startsWith(`${ENCODER_MISMATCH}onnx`);
  const read = builtWithOnnx ? 'pass --encoder <the encoder folder it was built with>' : 'leave --encoder out';
  const rebuild = `squeeze index ${JSON.stringify(root)}${withEncoder ? ' --encoder <folder>' : ''}`;
  return `the index of ${root} does not match this encoder (${reason}). To read it, ${read}; to rebuild it with this encoder, run ${rebuild}`;
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const k = intOption(values.top, '-k/--top', 1) ?? 10;
  const root = await repositoryArg(positionals, { min: 2, max: 2, expected: '<dir> "<query>"' });
  const query = positionals[1] ?? '';
  const minChunks = values.exact ? Number.POSITIVE_INFINITY : intOption(values['min-chunks'], '--min-chunks', 0);
  const encoderDir = values.encoder ? path.resolve(values.encoder) : undefined;
  const { hits, explain } = await withIndexEncoder(encoderDir, cliLogger(io, values.verbose === true), async (encoder) => {
    const index = await ensureSearchIndex(root, io, {
      verbose: values.verbose === true,
      ...(values['index-dir'] ? { indexDir: path.resolve(values['index-dir']) } : {}),
      ...(minChunks !== undefined ? { centroids: { minChunks } } : {}),
      ...(encoder ? { encoder } : {}),
    });
    return index.searchExplained(query, k, io.token);
  });
  if (values.json) {
    const doc = values.explain ? { hits: hitsToJson(hits), explain } : hitsToJson(hits);
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return EXIT.ok;
  }
  if (hits.length === 0) io.stderr.write('No matching chunks.\n');
  else io.stdout.write(`${formatHits(hits).join('\n')}\n`);
  if (values.explain) io.stdout.write(`${hits.length > 0 ? '\n' : ''}${formatExplain(explain).join('\n')}\n`);
  return EXIT.ok;
}

export const SEARCH_COMMAND: CliCommand = {
  name: 'search',
  summary: 'Search an indexed repository ("path:start-end  score  cluster  mass  symbol"; --explain)',
  usage: USAGE,
  run,
};
