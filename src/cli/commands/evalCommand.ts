import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_QUERY_LINES, isRetrieverName, RETRIEVERS, type RetrieverName } from '../../common/eval/retrievers.ts';
import type { Budget } from '../../common/eval/packing.ts';
import { openEvalBackend, type EvalBackend } from '../../node/eval/evalBackend.ts';
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
  candidates: { type: 'string' },
  endpoint: { type: 'string' },
  model: { type: 'string' },
  'max-tokens': { type: 'string' },
  'prefix-chars': { type: 'string' },
  'suffix-chars': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: squeeze eval <tasks.jsonl> [--budget N | --budget-chars N] [--retriever R ...] [--out DIR]
                   [--endpoint URL [--model NAME] | --model DIR]

Scores retrieval for line completion: for each task and retriever, the context packed into the budget is
scored by identifier recall and gold-line hit. With a model, the FIM prompt (context, the text before the
cursor, the text after the target line) is completed greedily up to the newline and the first line scored
by exact match and edit similarity. Each task's repository is searched without the target file (leakage
rule). Writes results.jsonl, summary.json and summary.md to --out.

Options:
  --budget N          context budget in estimated tokens (default 1024)
  --budget-chars N    context budget in characters (instead of --budget)
  --retriever R       one of ${RETRIEVERS.join(', ')} (repeatable; default: all)
  --out DIR           output folder (default: eval-out next to the tasks file)
  --query-lines N     prefix lines in the baselines' query (windows, bm25, bm25+novel; default 10);
                      the ours… retrievers and bm25-fim query as the editor does (10 lines before the
                      cursor, 2 after its line)
  --suffix-lines N    suffix lines added to the baselines' query (default 0)
  --hashed-dim N      dimension of the hashed encoder (default: the index's, 1024)
  --def-share F       budget share for definitions in ours+defs, 0..1 (default 0.25)
  --chunk-tokens N    chunk size of the chunker (default: the index's)
  --limit N           only the first N tasks
  --candidates N      chunks ranked per task before packing (default 64)

Generation (exact match and edit similarity of the first generated line, per language, 95% intervals):
  --endpoint URL      an OpenAI-compatible server (Ollama, llama.cpp, vLLM, LM Studio); FIM completions
  --model NAME|DIR    with --endpoint: the served model's name; without: a local ONNX model folder
  --max-tokens N      most tokens generated per task (default 48; generation stops at the newline)
  --prefix-chars N    characters before the cursor in the prompt (default 4000, as the editor)
  --suffix-chars N    characters after the target line in the prompt (default 1500, as the editor)
  -h, --help          show this help
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

function generationOf(values: Values, model: EvalBackend | undefined): Pick<EvalRunOptions, 'generation'> {
  if (!model) return {};
  const maxTokens = intOption(values['max-tokens'], '--max-tokens', 1);
  const prefixChars = intOption(values['prefix-chars'], '--prefix-chars', 0);
  const suffixChars = intOption(values['suffix-chars'], '--suffix-chars', 0);
  const options = { ...(maxTokens ? { maxTokens } : {}), ...(prefixChars !== undefined ? { prefixChars } : {}), ...(suffixChars !== undefined ? { suffixChars } : {}) };
  return { generation: { backend: model.backend, options, label: model.label } };
}

function runOptions(values: Values, io: CliIo, model: EvalBackend | undefined): EvalRunOptions {
  const queryLines = intOption(values['query-lines'], '--query-lines', 1) ?? DEFAULT_QUERY_LINES;
  const suffixLines = intOption(values['suffix-lines'], '--suffix-lines', 0);
  const hashedDim = intOption(values['hashed-dim'], '--hashed-dim', 2);
  const defShare = shareOf(values['def-share']);
  const chunkTokens = intOption(values['chunk-tokens'], '--chunk-tokens', 16);
  const limit = intOption(values.limit, '--limit', 1);
  const candidates = intOption(values.candidates, '--candidates', 1);
  return {
    retrievers: retrieversOf(values),
    retrieval: {
      budget: budgetOf(values), queryLines, ...(suffixLines ? { suffixLines } : {}), ...(defShare !== undefined ? { defShare } : {}),
      ...(candidates ? { candidates } : {}),
    },
    ...(hashedDim ? { hashedDim } : {}),
    ...(chunkTokens ? { chunkTokens } : {}),
    ...(limit ? { limit } : {}),
    ...(io.token ? { token: io.token } : {}),
    onRepo: (repo, files, chunks, ms) => io.stderr.write(`${repo}: ${files} files, ${chunks} chunks (${Math.round(ms)} ms)\n`),
    ...generationOf(values, model),
    ...(model ? { onTask: (done: number, total: number) => done % 50 === 0 && io.stderr.write(`generated ${done}/${total} tasks\n`) } : {}),
  };
}

/** The tasks file: it must exist and be a file (checked before a model is loaded). */
async function tasksFileArg(arg: string): Promise<string> {
  const file = path.resolve(arg);
  const stat = await fs.stat(file).catch(() => undefined);
  const hint = '(`npm run eval:devset` builds .eval-data/dev/tasks.jsonl)';
  if (!stat) throw new Error(`file not found: ${file} ${hint}`);
  if (stat.isDirectory()) throw new Error(`${file} is a folder; give a tasks .jsonl file ${hint}`);
  return file;
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new CliUsageError('expected one tasks file');
  runOptions(values, io, undefined); // usage errors before a model is loaded
  const tasksFile = await tasksFileArg(positionals[0] ?? '');
  const model = await openEvalBackend({ ...(values.endpoint ? { endpoint: values.endpoint } : {}), ...(values.model ? { model: values.model } : {}) });
  try {
    const options = runOptions(values, io, model);
    const out = path.resolve(values.out ?? path.join(path.dirname(tasksFile), 'eval-out'));
    const result = await runEval(tasksFile, options);
    const md = await writeEvalOutputs(out, result, options);
    io.stdout.write(`${md}\nWrote ${result.results.length} results to ${out}\n`);
    return EXIT.ok;
  } finally {
    await model?.dispose();
  }
}

export const EVAL_COMMAND: CliCommand = {
  name: 'eval',
  summary: 'Score retrieval for line completion on a tasks file (identifier recall, gold-line hit; with a model, exact match and edit similarity)',
  usage: USAGE,
  run,
};
