import path from 'node:path';
import { DEFAULT_QUERY_LINES, isRetrieverName, RETRIEVERS, type RetrieverName } from '../../common/eval/retrievers.ts';
import type { Budget } from '../../common/eval/packing.ts';
import { runEval, writeEvalOutputs, type EvalRunOptions } from '../../node/eval/runEval.ts';
import { CliUsageError, EXIT, intOption, parseCommandArgs, type CliCommand, type CliIo } from '../cliCommand.ts';

const OPTIONS = {
  budget: { type: 'string' },
  'budget-chars': { type: 'string' },
  retriever: { type: 'string', multiple: true },
  out: { type: 'string' },
  'query-lines': { type: 'string' },
  'suffix-lines': { type: 'string' },
  'hashed-dim': { type: 'string' },
  'def-share': { type: 'string' },
  'chunk-tokens': { type: 'string' },
  limit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: squeeze eval <tasks.jsonl> [--budget N | --budget-chars N] [--retriever R ...] [--out DIR]

Scores retrieval for line completion (model-free): for each task and retriever, the context packed into
the budget is scored by identifier recall and gold-line hit. Each task's repository is searched without
the target file (leakage rule). Writes results.jsonl, summary.json and summary.md to --out.

Options:
  --budget N          context budget in estimated tokens (default 1024)
  --budget-chars N    context budget in characters (instead of --budget)
  --retriever R       one of ${RETRIEVERS.join(', ')} (repeatable; default: all)
  --out DIR           output folder (default: eval-out next to the tasks file)
  --query-lines N     prefix lines used as the query (default 10)
  --suffix-lines N    suffix lines added to the query of every similarity retriever (default 0)
  --hashed-dim N      dimension of the hashed encoder (default: the index's, 1024)
  --def-share F       budget share for definitions in ours+defs, 0..1 (default 0.25)
  --chunk-tokens N    chunk size of the chunker (default: the index's)
  --limit N           only the first N tasks
  -h, --help          show this help

Generation metrics (--model/--endpoint: exact match, edit similarity) are not implemented yet.
`;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

function budgetOf(values: Values): Budget {
  if (values.budget !== undefined && values['budget-chars'] !== undefined) throw new CliUsageError('give --budget or --budget-chars, not both');
  const chars = intOption(values['budget-chars'], '--budget-chars', 1);
  if (chars !== undefined) return { unit: 'chars', size: chars };
  return { unit: 'tokens', size: intOption(values.budget, '--budget', 1) ?? 1024 };
}

function retrieversOf(values: Values): RetrieverName[] {
  const names = values.retriever ?? [...RETRIEVERS];
  for (const n of names) if (!isRetrieverName(n)) throw new CliUsageError(`unknown retriever '${n}' (one of ${RETRIEVERS.join(', ')})`);
  return names as RetrieverName[];
}

function shareOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new CliUsageError(`--def-share must be between 0 and 1, got '${value}'`);
  return n;
}

function runOptions(values: Values, io: CliIo): EvalRunOptions {
  const queryLines = intOption(values['query-lines'], '--query-lines', 1) ?? DEFAULT_QUERY_LINES;
  const suffixLines = intOption(values['suffix-lines'], '--suffix-lines', 0);
  const hashedDim = intOption(values['hashed-dim'], '--hashed-dim', 2);
  const defShare = shareOf(values['def-share']);
  const chunkTokens = intOption(values['chunk-tokens'], '--chunk-tokens', 16);
  const limit = intOption(values.limit, '--limit', 1);
  return {
    retrievers: retrieversOf(values),
    retrieval: { budget: budgetOf(values), queryLines, ...(suffixLines ? { suffixLines } : {}), ...(defShare !== undefined ? { defShare } : {}) },
    ...(hashedDim ? { hashedDim } : {}),
    ...(chunkTokens ? { chunkTokens } : {}),
    ...(limit ? { limit } : {}),
    ...(io.token ? { token: io.token } : {}),
    onRepo: (repo, files, chunks, ms) => io.stderr.write(`${repo}: ${files} files, ${chunks} chunks (${Math.round(ms)} ms)\n`),
  };
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new CliUsageError('expected one tasks file');
  const tasksFile = path.resolve(positionals[0] ?? '');
  const options = runOptions(values, io);
  const out = path.resolve(values.out ?? path.join(path.dirname(tasksFile), 'eval-out'));
  const result = await runEval(tasksFile, options);
  const md = await writeEvalOutputs(out, result, options);
  io.stdout.write(`${md}\nWrote ${result.results.length} results to ${out}\n`);
  return EXIT.ok;
}

export const EVAL_COMMAND: CliCommand = {
  name: 'eval',
  summary: 'Score retrieval for line completion on a tasks file (identifier recall, gold-line hit)',
  usage: USAGE,
  run,
};
