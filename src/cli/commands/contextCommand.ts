/**
 * `squeeze context <file>:<line>:<col>`: the prompt an inline completion at that cursor would get — what was
 * retrieved, kept, collapsed and dropped within the budget, and the position ids of every segment.
 */
import path from 'node:path';
import { FIM_STYLES, type FimStyle } from '../../common/generate/fimStyles.ts';
import type { PositionPolicy } from '../../common/positions/positionTypes.ts';
import { buildCursorContext, type SegmentTokenizer } from '../../node/context/cursorContext.ts';
import { cursorContextJson, formatCursorContext } from '../../node/context/formatContext.ts';
import { CliUsageError, EXIT, intOption, parseCommandArgs, type CliCommand, type CliIo } from '../cliCommand.ts';
import { ensureSearchIndex } from './searchCommand.ts';

const OPTIONS = {
  dir: { type: 'string' },
  budget: { type: 'string' },
  policy: { type: 'string' },
  model: { type: 'string' },
  context: { type: 'string' },
  fim: { type: 'string' },
  top: { type: 'string', short: 'k' },
  'index-dir': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

const POLICIES = ['auto', 'sequential', 'grouped', 'parallel'] as const;

const USAGE = `Usage: squeeze context <file>:<line>:<col> [--dir D] [--budget N] [--policy P] [--json] [options]

Prints the prompt an inline completion at the cursor (1-based line and column) would get: retrieved
chunks compressed into the budget (full, collapsed, signature or dropped, with scores and tokens), and
the position ids of every segment.

Options:
  --dir D          repository root (default: the current folder); <file> is relative to it
  --budget N       prompt budget in tokens (default 2048)
  --policy P       auto | sequential | grouped | parallel (default auto)
  --model D        a model folder: count with its tokenizer, use its FIM markers and trained context
  --context N      trained context length without --model (default 8192)
  --fim S          FIM style without --model: ${FIM_STYLES.map((s) => s.id).join(' | ')}
  -k, --top N      chunks to retrieve (default 24)
  --index-dir D    where the index lives (default: <dir>/.squeeze)
  --json           print the result as JSON
  -v, --verbose    log every step on stderr
  -h, --help       show this help
`;

interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export function parseCursorArg(arg: string | undefined): Location {
  const m = arg === undefined ? null : /^(.+):(\d+):(\d+)$/.exec(arg);
  if (!m || Number(m[2]) < 1 || Number(m[3]) < 1) throw new CliUsageError(`expected <file>:<line>:<col> (1-based), got ${JSON.stringify(arg ?? '')}`);
  return { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
}

function policyOption(value: string | undefined): PositionPolicy | 'auto' {
  const p = value ?? 'auto';
  if (!(POLICIES as readonly string[]).includes(p)) throw new CliUsageError(`--policy must be one of ${POLICIES.join(', ')}, got '${p}'`);
  return p as PositionPolicy | 'auto';
}

function fimOption(value: string | undefined): FimStyle | undefined {
  if (value === undefined) return undefined;
  const style = FIM_STYLES.find((s) => s.id === value);
  if (!style) throw new CliUsageError(`--fim must be one of ${FIM_STYLES.map((s) => s.id).join(', ')}, got '${value}'`);
  return style;
}

interface ModelInfo {
  readonly tokenizer?: SegmentTokenizer;
  readonly contextLength?: number;
  readonly fim?: FimStyle;
}

async function modelInfo(dir: string | undefined): Promise<ModelInfo> {
  if (!dir) return {};
  const { loadModelFolder } = await import('../../node/generate/modelFolder.ts');
  const folder = await loadModelFolder(path.resolve(dir));
  return { tokenizer: folder.tokenizer, contextLength: folder.config.contextLength, ...(folder.fim ? { fim: folder.fim.style } : {}) };
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new CliUsageError('expected one <file>:<line>:<col>');
  const at = parseCursorArg(positionals[0]);
  const root = path.resolve(values.dir ?? '.');
  const budget = intOption(values.budget, '--budget', 16) ?? 2048;
  const policy = policyOption(values.policy);
  const fim = fimOption(values.fim);
  const k = intOption(values.top, '-k/--top', 1) ?? 24;
  const model = await modelInfo(values.model);
  const contextLength = intOption(values.context, '--context', 64) ?? model.contextLength ?? 8192;
  const index = await ensureSearchIndex(root, io, {
    verbose: values.verbose === true,
    ...(values['index-dir'] ? { indexDir: path.resolve(values['index-dir']) } : {}),
  });
  const context = await buildCursorContext({
    root, file: at.file, line: at.line, column: at.column, budget, contextLength, policy, k,
    search: (query, n) => index.search(query, n, io.token),
    ...(model.tokenizer ? { tokenizer: model.tokenizer } : {}),
    ...(fim ?? model.fim ? { fim: (fim ?? model.fim)! } : {}),
  });
  io.stdout.write(values.json ? `${JSON.stringify(cursorContextJson(context), null, 2)}\n` : formatCursorContext(context));
  return EXIT.ok;
}

export const CONTEXT_COMMAND: CliCommand = {
  name: 'context',
  summary: 'The prompt, kept/collapsed/dropped chunks and position ids of a completion at <file>:<line>:<col>',
  usage: USAGE,
  run,
};
