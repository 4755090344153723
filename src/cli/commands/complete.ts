import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CancellationToken } from '../../common/cancellation.ts';
import { OpenAiClient } from '../../node/backend/openAiClient.ts';
import { DECODER_OPTIONS, generateOptions, loadDecoder, printResult, runCancellable, UsageError } from './generate.ts';
import type { CommandOutput, GenerateCommandIo } from './generate.ts';

/**
 * `squeeze complete <file>:<line>:<col> --model DIR | --endpoint URL`: a plain fill-in-the-middle completion
 * at a cursor (1-based line and column), from the text before and after it in that file only. The prompt
 * uses the model's own FIM tokens (Qwen2.5-Coder, StarCoder, DeepSeek-Coder or CodeLlama style); a model
 * without FIM tokens continues the prefix. Exit codes: 0 done, 1 failed, 2 usage, 130 cancelled.
 */
export const COMPLETE_USAGE = `Usage:
  squeeze complete <file>:<line>:<col> (--model DIR | --endpoint URL [--server-model NAME]) [options]

Options:
  --prefix-chars N      characters of the file before the cursor (default 6000, cut at a line start)
  --suffix-chars N      characters after the cursor (default 2000, cut at a line end)
  --single-line         stop at the end of the line
  --max-tokens N        (default 64), --temperature T, --top-p P, --top-k K, --seed S, --stop TEXT
  --no-speculative, --provider P, --precision P, --threads N   (local model only; see squeeze generate -h)
  --stats               print time to first token, prefill/decode tokens/s, reused and draft tokens to stderr
`;

const OPTIONS = {
  ...DECODER_OPTIONS,
  endpoint: { type: 'string' },
  'server-model': { type: 'string' },
  'prefix-chars': { type: 'string' },
  'suffix-chars': { type: 'string' },
  'single-line': { type: 'boolean' },
} as const;

export const COMPLETE_COMMAND = {
  name: 'complete',
  summary: 'Fill-in-the-middle completion at <file>:<line>:<col> with a local model or an HTTP endpoint',
  usage: COMPLETE_USAGE,
  run: runCompleteCommand,
} as const;

export interface CursorLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** `path:line:col`, read from the right so Windows drive letters survive. */
export function parseLocation(arg: string): CursorLocation {
  const m = /^(.+):(\d+):(\d+)$/.exec(arg);
  if (!m || Number(m[2]) < 1 || Number(m[3]) < 1) throw new UsageError(`expected <file>:<line>:<col> (1-based), got ${JSON.stringify(arg)}`);
  return { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
}

/** Text before and after the cursor, each cut to a budget at a line boundary. Column past the end clamps. */
export function splitAtCursor(text: string, at: CursorLocation, budget: { prefix: number; suffix: number }): { prefix: string; suffix: string } {
  const lines = text.split('\n');
  if (at.line > lines.length) throw new UsageError(`${at.file} has ${lines.length} lines; line ${at.line} is past the end`);
  let offset = 0;
  for (let i = 0; i < at.line - 1; i++) offset += lines[i]!.length + 1;
  offset += Math.min(at.column - 1, lines[at.line - 1]!.length);
  let prefix = text.slice(0, offset);
  let suffix = text.slice(offset);
  if (prefix.length > budget.prefix) {
    const cut = prefix.length - budget.prefix;
    const lineStart = prefix.indexOf('\n', cut);
    prefix = prefix.slice(lineStart >= 0 ? lineStart + 1 : cut);
  }
  if (suffix.length > budget.suffix) {
    const lineEnd = suffix.lastIndexOf('\n', budget.suffix);
    suffix = suffix.slice(0, lineEnd > 0 ? lineEnd : budget.suffix);
  }
  return { prefix, suffix };
}

async function viaEndpoint(endpoint: string, input: { prefix: string; suffix: string; v: Record<string, unknown> }, io: GenerateCommandIo, token: CancellationToken): Promise<number> {
  const o = generateOptions(input.v, () => undefined);
  const client = new OpenAiClient({ endpoint, ...(typeof input.v['server-model'] === 'string' ? { model: input.v['server-model'] } : {}) });
  const start = performance.now();
  let first = 0;
  const r = await client.stream(
    { kind: 'fim', prefix: input.prefix, suffix: input.suffix, options: { maxTokens: o.maxTokens, temperature: o.temperature, stop: o.stop, ...(o.topP !== undefined ? { topP: o.topP } : {}) } },
    { onText: (t) => ((first ||= performance.now()), io.stdout.write(t)), token },
  );
  io.stdout.write(r.text.endsWith('\n') ? '' : '\n');
  if (input.v['stats'] === true) {
    const total = performance.now() - start;
    io.stderr.write(`provider: http (${client.endpoint})\ntime to first token: ${((first || performance.now()) - start).toFixed(1)} ms\ntotal: ${total.toFixed(1)} ms\n`);
    io.stderr.write(`tokens: ${r.usage?.promptTokens ?? '?'} prompt, ${r.usage?.completionTokens ?? '?'} completion\nfinish reason: ${r.finishReason ?? '?'}\n`);
  }
  return 0;
}

function positive(raw: unknown, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, got ${String(raw)}`);
  return n;
}

/** `args` are the words after `complete`. */
export async function runCompleteCommand(args: readonly string[], io: GenerateCommandIo): Promise<number> {
  return runCancellable(io, COMPLETE_USAGE, async (token) => {
    let parsed;
    try {
      parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const v = parsed.values;
    if (v.help) return io.stdout.write(COMPLETE_USAGE), 0;
    if (parsed.positionals.length !== 1) throw new UsageError('expected one <file>:<line>:<col>');
    if ((v.model === undefined) === (v.endpoint === undefined)) throw new UsageError('give exactly one of --model DIR and --endpoint URL');
    const at = parseLocation(parsed.positionals[0]!);
    const text = await fs.readFile(at.file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EISDIR' ? new UsageError(`${at.file} is a folder; give <file>:<line>:<col> of a file`) : e;
    });
    const budget = { prefix: positive(v['prefix-chars'], 'prefix-chars', 6000), suffix: positive(v['suffix-chars'], 'suffix-chars', 2000) };
    const { prefix, suffix } = splitAtCursor(text, at, budget);
    const values = { ...v, 'max-tokens': v['max-tokens'] ?? '64', stop: [...(v.stop ?? []), ...(v['single-line'] ? ['\n'] : [])] };
    if (v.endpoint !== undefined) return viaEndpoint(v.endpoint, { prefix, suffix, v: values }, io, token);
    return viaModel({ prefix, suffix, v: values }, io, token);
  });
}

async function viaModel(input: { prefix: string; suffix: string; v: Parameters<typeof generateOptions>[0] }, io: GenerateCommandIo, token: CancellationToken): Promise<number> {
  const decoder = await loadDecoder(input.v, io.stderr);
  try {
    if (!decoder.folder.fim) io.stderr.write('note: this model has no fill-in-the-middle tokens; continuing the prefix only\n');
    const r = await decoder.infill(input.prefix, input.suffix, generateOptions(input.v, (t) => io.stdout.write(t)), token);
    printResult(r, input.v.stats === true, io);
    return 0;
  } finally {
    await decoder.dispose();
  }
}

export type { CommandOutput, GenerateCommandIo };
