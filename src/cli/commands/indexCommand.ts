import fs from 'node:fs/promises';
import path from 'node:path';
import { CliUsageError, EXIT, intOption, parseCommandArgs, type CliCommand, type CliIo } from '../cliCommand.ts';
import { formatSummary } from '../formatResults.ts';
import { cliLogger, indexWithProgress, withIndexEncoder } from '../indexWithProgress.ts';

const OPTIONS = {
  'index-dir': { type: 'string' },
  encoder: { type: 'string' },
  'max-file-bytes': { type: 'string' },
  json: { type: 'boolean' },
  verify: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: squeeze index <dir> [--index-dir D] [--encoder DIR] [--max-file-bytes N] [--verify] [--json] [--verbose]

Builds or updates the index of <dir>: only new and changed files are read and chunked.
An interrupted run (Ctrl-C, crash) keeps what it committed; run it again to continue.

Options:
  --index-dir D        where the index lives (default: <dir>/.squeeze)
  --encoder DIR        embed chunks with the ONNX encoder in DIR (BERT family: tokenizer.json, onnx/model*.onnx;
                       e.g. one fetched by \`squeeze models pull all-minilm-l6-v2\`); default: the built-in hashed encoder.
                       An index built with one encoder is rebuilt when indexed with another; search with the same --encoder
  --max-file-bytes N   skip files larger than N bytes (default 1000000)
  --verify             check the stored index fully first (SQLite integrity check, every chunk checksum; rebuilds if damaged)
  --json               print the summary as JSON on stdout
  -v, --verbose        log every step (and stacks of errors) on stderr
  -h, --help           show this help
`;

/** The directory argument first, then `usage.expected` more (e.g. the query); the folder must exist. */
export async function repositoryArg(positionals: readonly string[], usage: { min: number; max: number; expected: string }): Promise<string> {
  if (positionals.length < usage.min || positionals.length > usage.max) {
    throw new CliUsageError(`wrong number of arguments: expected ${usage.expected}, got ${positionals.length}${positionals.length > 0 ? ` (${positionals.map((p) => JSON.stringify(p)).join(' ')})` : ''}`);
  }
  return repositoryFolder(positionals[0] ?? '.');
}

/** The absolute path of a repository folder, or an error that says what was found there instead. */
export async function repositoryFolder(arg: string): Promise<string> {
  const dir = path.resolve(arg);
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) throw new Error(`folder not found: ${dir} (give the repository's root folder)`);
  if (!stat.isDirectory()) throw new Error(`${dir} is a file, not a folder (give the repository's root folder, e.g. ${path.dirname(dir)})`);
  return dir;
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const maxFileBytes = intOption(values['max-file-bytes'], '--max-file-bytes', 1);
  const root = await repositoryArg(positionals, { min: 1, max: 1, expected: '<dir>' });
  const encoderDir = values.encoder ? path.resolve(values.encoder) : undefined;
  const summary = await withIndexEncoder(encoderDir, cliLogger(io, values.verbose === true), (encoder) => indexWithProgress(root, io, {
    verbose: values.verbose === true,
    verify: values.verify === true,
    ...(values['index-dir'] ? { indexDir: path.resolve(values['index-dir']) } : {}),
    ...(encoder ? { encoder } : {}),
    ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
  }));
  io.stdout.write(values.json ? `${JSON.stringify({ root, ...summary }, null, 2)}\n` : `${formatSummary(root, summary)}\n`);
  return EXIT.ok;
}

export const INDEX_COMMAND: CliCommand = {
  name: 'index',
  summary: 'Index a repository (incremental; resumable)',
  usage: USAGE,
  run,
};
