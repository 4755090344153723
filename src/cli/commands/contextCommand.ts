/**
 * `squeeze context <file>:<line>:<col>`: the prompt an inline completion at that cursor would get — what was
 * retrieved, kept, collapsed and dropped within the budget, and the position ids of every segment. The
 * default (`--mode editor`) is what the editor sends (its window, novelty packer and character budget);
 * `--mode assembler` is the prompt assembler (bands, detail levels, position policies). `--attention` first
 * re-ranks the candidates by attention mass estimated with the --model decoder (attentionRefine.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { FIM_STYLES, type FimStyle } from '../../common/generate/fimStyles.ts';
import type { PositionPolicy } from '../../common/positions/positionTypes.ts';
import type { ScoredChunk } from '../../common/compress/compressTypes.ts';
import { splitAtLineColumn } from '../../common/assemble/cursorQuery.ts';
import type { AttentionRefinement } from '../../node/context/attentionRefine.ts';
import { buildCursorContext, type SegmentTokenizer } from '../../node/context/cursorContext.ts';
import { buildEditorContext } from '../../node/context/editorContext.ts';
import { cursorContextJson, formatCursorContext } from '../../node/context/formatContext.ts';
import { editorContextJson, formatEditorContext } from '../../node/context/formatEditorContext.ts';
import type { OnnxDecoder } from '../../node/generate/onnxDecoder.ts';
import { CliUsageError, EXIT, intOption, parseCommandArgs, type CliCommand, type CliIo } from '../cliCommand.ts';
import { cliLogger, withIndexEncoder } from '../indexWithProgress.ts';
import { repositoryFolder } from './indexCommand.ts';
import { ensureSearchIndex } from './searchCommand.ts';

const OPTIONS = {
  dir: { type: 'string' },
  mode: { type: 'string' },
  chars: { type: 'string' },
  attention: { type: 'boolean' },
  budget: { type: 'string' },
  policy: { type: 'string' },
  model: { type: 'string' },
  context: { type: 'string' },
  fim: { type: 'string' },
  top: { type: 'string', short: 'k' },
  'index-dir': { type: 'string' },
  encoder: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

const POLICIES = ['auto', 'sequential', 'grouped', 'parallel'] as const;

const USAGE = `Usage: squeeze context <file>:<line>:<col> [--dir D] [--mode editor|assembler] [--model D [--attention]] [--json] [options]

Prints the prompt an inline completion at the cursor (1-based line and column) would get: retrieved
chunks packed into the budget (kept, collapsed, signature or dropped, with scores and tokens), and the
position ids of every segment.

Options:
  --dir D          repository root (default: the current folder); <file> is relative to it
  --mode M         editor: what the editor sends (its cursor window, novelty packer, character budget; default;
                   recently edited snippets, which only an editor session has, are not included)
                   assembler: the prompt assembler (token budget, detail levels, position policies)
  --chars N        editor mode: retrieved-context budget in characters (default 2000, the editor's default)
  --budget N       assembler mode: prompt budget in tokens (default 2048)
  --policy P       assembler mode: auto | sequential | grouped | parallel (default auto)
  --model D        a model folder: count with its tokenizer, use its FIM markers and trained context
  --attention      re-rank candidates by attention mass estimated with the --model decoder (ONNX): its
                   query outputs when the graph has them, else key–key similarity; low-mass lines go first
  --context N      trained context length without --model (default 8192)
  --fim S          FIM style without --model: ${FIM_STYLES.map((s) => s.id).join(' | ')}
  -k, --top N      chunks to retrieve (default 24)
  --index-dir D    where the index lives (default: <dir>/.squeeze)
  --encoder DIR    the ONNX encoder the index was built with (squeeze index --encoder DIR)
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
  readonly bosId?: number;
  readonly contextLength?: number;
  readonly fim?: FimStyle;
}

async function modelInfo(dir: string | undefined): Promise<ModelInfo> {
  if (!dir) return {};
  const { loadModelFolder } = await import('../../node/generate/modelFolder.ts');
  const folder = await loadModelFolder(path.resolve(dir));
  const bos = folder.tokenizer.bosId;
  return { tokenizer: folder.tokenizer, contextLength: folder.config.contextLength, ...(bos !== undefined ? { bosId: bos } : {}), ...(folder.fim ? { fim: folder.fim.style } : {}) };
}

type Refiner = (candidates: readonly ScoredChunk[], windowPrefix: string) => Promise<AttentionRefinement>;

async function attentionRefiner(values: { attention?: boolean; model?: string }, io: CliIo): Promise<{ refine?: Refiner; decoder?: OnnxDecoder }> {
  if (!values.attention || !values.model) return {};
  const { OnnxDecoder } = await import('../../node/generate/onnxDecoder.ts');
  const { refineWithAttention } = await import('../../node/context/attentionRefine.ts');
  const decoder = await OnnxDecoder.load(path.resolve(values.model), { provider: 'cpu' });
  const refine: Refiner = (candidates, windowPrefix) => refineWithAttention({ decoder, candidates, windowPrefix, ...(io.token ? { token: io.token } : {}) });
  return { refine, decoder };
}

interface Common {
  readonly root: string;
  readonly at: Location;
  readonly k: number;
  readonly model: ModelInfo;
  readonly fim: FimStyle | undefined;
  readonly contextLength: number;
  readonly search: (query: string, k: number) => Promise<readonly ScoredChunk[]>;
  readonly refine: Refiner | undefined;
}

async function editorMode(c: Common, values: { chars?: string; json?: boolean }): Promise<string> {
  const chars = intOption(values.chars, '--chars', 0);
  const e = await buildEditorContext(c.root, c.at.file, {
    line: c.at.line, column: c.at.column, contextLength: c.contextLength, search: c.search, k: c.k,
    ...(chars !== undefined ? { contextChars: chars } : {}),
    ...(c.model.tokenizer ? { tokenizer: c.model.tokenizer } : {}),
    ...(c.model.bosId !== undefined ? { bosId: c.model.bosId } : {}),
    ...(c.fim ? { fim: c.fim } : {}),
    ...(c.refine ? { refine: c.refine } : {}),
  });
  return values.json ? `${JSON.stringify(editorContextJson(e), null, 2)}\n` : formatEditorContext(e);
}

/** Assembler mode: the refinement (when asked) re-ranks what retrieval returns; its masses are listed after the table. */
async function assemblerMode(c: Common, values: { budget?: string; policy?: string; json?: boolean }): Promise<string> {
  const budget = intOption(values.budget, '--budget', 16) ?? 2048;
  const policy = policyOption(values.policy);
  let refinement: AttentionRefinement | undefined;
  const search = async (query: string, n: number): Promise<readonly ScoredChunk[]> => {
    const hits = await c.search(query, n);
    if (!c.refine || hits.length === 0) return hits;
    const text = await fs.readFile(path.resolve(c.root, c.at.file), 'utf8');
    refinement = await c.refine(hits, splitAtLineColumn(text, c.at.line, c.at.column).prefix);
    return refinement.candidates;
  };
  const context = await buildCursorContext({
    root: c.root, file: c.at.file, line: c.at.line, column: c.at.column, budget, contextLength: c.contextLength, policy, k: c.k, search,
    ...(c.model.tokenizer ? { tokenizer: c.model.tokenizer } : {}),
    ...(c.fim ? { fim: c.fim } : {}),
  });
  if (values.json) return `${JSON.stringify({ mode: 'assembler', ...cursorContextJson(context), ...(refinement ? { attention: refinement.rows } : {}) }, null, 2)}\n`;
  return formatCursorContext(context) + (refinement ? `${assemblerAttention(refinement)}\n` : '');
}

function assemblerAttention(r: AttentionRefinement): string {
  const rows = r.rows.map((x) => `  ${x.rankBefore}->${x.rankAfter}  mass ${x.massShare === undefined ? '-' : `${(100 * x.massShare).toFixed(1)}%`}  `
    + `retrieval ${x.retrievalScore.toFixed(3)} -> blended ${x.blended.toFixed(3)}`);
  return [`=== attention (queries from ${r.queriesFrom === 'graph' ? 'the graph' : 'keys: key–key similarity'}; ranking ${r.rankChanged ? 'changed' : 'unchanged'}; table scores are blended) ===`, ...rows].join('\n');
}

/** --mode, and the flags that belong to the other mode or need --model (usage errors before any work). */
function modeOption(values: { mode?: string; budget?: string; policy?: string; chars?: string; attention?: boolean; model?: string }): 'editor' | 'assembler' {
  const mode = values.mode ?? 'editor';
  if (mode !== 'editor' && mode !== 'assembler') throw new CliUsageError(`--mode must be editor or assembler, got '${mode}'`);
  if (mode === 'editor' && (values.budget !== undefined || values.policy !== undefined)) throw new CliUsageError('--budget and --policy apply to --mode assembler (the editor budgets --chars)');
  if (mode === 'assembler' && values.chars !== undefined) throw new CliUsageError('--chars applies to --mode editor');
  if (values.attention && !values.model) throw new CliUsageError('--attention needs --model D (an ONNX decoder folder)');
  return mode;
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new CliUsageError('expected one <file>:<line>:<col>');
  const mode = modeOption(values);
  const at = parseCursorArg(positionals[0]);
  const root = await repositoryFolder(values.dir ?? '.');
  await checkCursor(root, at);
  const fim = fimOption(values.fim);
  const k = intOption(values.top, '-k/--top', 1) ?? 24;
  const model = await modelInfo(values.model);
  const contextLength = intOption(values.context, '--context', 64) ?? model.contextLength ?? 8192;
  const encoderDir = values.encoder ? path.resolve(values.encoder) : undefined;
  const text = await withIndexEncoder(encoderDir, cliLogger(io, values.verbose === true), async (encoder) => {
    const index = await ensureSearchIndex(root, io, {
      verbose: values.verbose === true,
      ...(values['index-dir'] ? { indexDir: path.resolve(values['index-dir']) } : {}),
      ...(encoder ? { encoder } : {}),
    });
    const { refine, decoder } = await attentionRefiner(values, io);
    try {
      const common: Common = { root, at, k, model, fim: fim ?? model.fim, contextLength, search: (query, n) => index.search(query, n, io.token), refine };
      return mode === 'editor' ? await editorMode(common, values) : await assemblerMode(common, values);
    } finally {
      await decoder?.dispose();
    }
  });
  io.stdout.write(text);
  return EXIT.ok;
}

/** The cursor's file must exist under the repository and hold the line (checked before any indexing). */
export async function checkCursor(root: string, at: Location): Promise<void> {
  const file = path.resolve(root, at.file);
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new Error(`file not found: ${file} (<file> is relative to the repository folder ${root}; set that with --dir)`);
    throw e;
  });
  const lines = text.split('\n').length;
  if (at.line > lines) throw new CliUsageError(`${at.file} has ${lines} lines; line ${at.line} is past the end`);
}

export const CONTEXT_COMMAND: CliCommand = {
  name: 'context',
  summary: 'The prompt, kept/collapsed/dropped chunks and position ids of a completion at <file>:<line>:<col>',
  usage: USAGE,
  run,
};
