import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CancellationToken } from '../../common/cancellation.ts';
import { CancellationTokenSource, isCancellationError } from '../../common/cancellation.ts';
import type { GenerateOptions, GenerateResult } from '../../common/generate/generateTypes.ts';
import { formatStats } from '../../common/generate/generateTypes.ts';
import type { Logger } from '../../common/log.ts';
import { OnnxDecoder } from '../../node/generate/onnxDecoder.ts';
import { ONNX_FILES, type PrecisionSetting } from '../../node/generate/modelFolder.ts';
import { EXECUTION_PROVIDERS, type ProviderSetting } from '../../node/generate/sessionFactory.ts';
import { cliErrorMessage } from '../cliErrorMessage.ts';

/**
 * `squeeze generate --model DIR --prompt TEXT`: runs the local ONNX decoder on a raw prompt and streams the
 * text to stdout; `--stats` prints timing to stderr. Exit codes: 0 done, 1 failed, 2 usage, 130 cancelled.
 */
export interface CommandOutput {
  write(text: string): unknown;
}

export interface GenerateCommandIo {
  readonly stdout: CommandOutput;
  readonly stderr: CommandOutput;
  /** When absent, Ctrl+C (SIGINT) cancels. */
  readonly token?: CancellationToken;
}

export const GENERATE_USAGE = `Usage:
  squeeze generate --model DIR (--prompt TEXT | --prompt-file FILE) [options]

Options:
  --max-tokens N        tokens to generate (default 128)
  --temperature T       0 = greedy (default); with --top-p P, --top-k K, --seed S
  --stop TEXT           stop sequence (repeatable)
  --no-speculative      turn prompt-lookup speculative decoding off
  --provider P          auto (default) | cuda | webgpu | cpu
  --precision P         auto (default: q8 if present) | fp32 | q8 | fp16 | q4
  --threads N           CPU threads (default: all cores)
  --stats               print time to first token, prefill/decode tokens/s, reused and draft tokens to stderr
`;

/** Options shared with `complete`. */
export const DECODER_OPTIONS = {
  model: { type: 'string' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
  'top-p': { type: 'string' },
  'top-k': { type: 'string' },
  seed: { type: 'string' },
  stop: { type: 'string', multiple: true },
  'no-speculative': { type: 'boolean' },
  provider: { type: 'string' },
  precision: { type: 'string' },
  threads: { type: 'string' },
  stats: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const OPTIONS = { ...DECODER_OPTIONS, prompt: { type: 'string' }, 'prompt-file': { type: 'string' } } as const;

export const GENERATE_COMMAND = {
  name: 'generate',
  summary: 'Generate text from a prompt with a local ONNX model (--model DIR --prompt TEXT)',
  usage: GENERATE_USAGE,
  run: runGenerateCommand,
} as const;

export class UsageError extends Error {}

type DecoderValues = { readonly [K in keyof typeof DECODER_OPTIONS]?: (typeof DECODER_OPTIONS)[K] extends { multiple: true } ? string[] : string | boolean };

function numberOption(v: DecoderValues, name: keyof typeof DECODER_OPTIONS, min: number): number | undefined {
  const raw = v[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number >= ${min}, got ${String(raw)}`);
  return n;
}

/** A flag whose value is one of `choices` (the first is the default). */
export function choiceOption(raw: string | boolean | undefined, flag: string, choices: readonly string[]): string {
  if (raw === undefined) return choices[0]!;
  if (typeof raw !== 'string' || !choices.includes(raw)) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got ${String(raw)}`);
  return raw;
}

/** Generation options from the shared flags. */
export function generateOptions(v: DecoderValues, onText: (text: string) => void): GenerateOptions {
  const o: { -readonly [K in keyof GenerateOptions]: GenerateOptions[K] } = {
    maxTokens: numberOption(v, 'max-tokens', 0) ?? 128,
    temperature: numberOption(v, 'temperature', 0) ?? 0,
    speculative: v['no-speculative'] !== true,
    stop: (v.stop as string[] | undefined) ?? [],
    onToken: (e) => e.text && onText(e.text),
  };
  o.topP = numberOption(v, 'top-p', 0);
  o.topK = numberOption(v, 'top-k', 0);
  o.seed = numberOption(v, 'seed', 0);
  return o;
}

/** Loads the decoder named by --model with --provider/--precision/--threads; says which provider runs it. */
export async function loadDecoder(v: DecoderValues, stderr: CommandOutput, logger?: Logger): Promise<OnnxDecoder> {
  if (typeof v.model !== 'string') throw new UsageError('--model DIR is required');
  const threads = numberOption(v, 'threads', 1);
  const decoder = await OnnxDecoder.load(v.model, {
    provider: choiceOption(v.provider, '--provider', ['auto', ...EXECUTION_PROVIDERS]) as ProviderSetting,
    precision: choiceOption(v.precision, '--precision', ['auto', ...Object.keys(ONNX_FILES)]) as PrecisionSetting,
    ...(threads ? { threads } : {}),
    ...(logger ? { logger } : {}),
  });
  if (decoder.fallbackReason) stderr.write(`note: ${decoder.fallbackReason}\n`);
  return decoder;
}

/** Runs `body` with a token that SIGINT cancels (unless the caller gave one); maps errors to exit codes. */
export async function runCancellable(io: GenerateCommandIo, usage: string, body: (token: CancellationToken) => Promise<number>): Promise<number> {
  const source = new CancellationTokenSource();
  const link = io.token?.onCancellationRequested(() => source.cancel());
  const onSigint = () => source.cancel();
  if (!io.token) process.once('SIGINT', onSigint);
  try {
    return await body(source.token);
  } catch (e) {
    if (isCancellationError(e)) {
      io.stderr.write('\ncancelled\n');
      return 130;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`${e.message}\n\n${usage}`);
      return 2;
    }
    io.stderr.write(`error: ${cliErrorMessage(e)}\n`);
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    link?.dispose();
  }
}

export function printResult(r: GenerateResult, stats: boolean, io: GenerateCommandIo): void {
  io.stdout.write(r.text.endsWith('\n') ? '' : '\n');
  if (stats) io.stderr.write(`${formatStats(r.stats)}\nfinish reason: ${r.finishReason}\n`);
}

/** `args` are the words after `generate`. */
export async function runGenerateCommand(args: readonly string[], io: GenerateCommandIo): Promise<number> {
  return runCancellable(io, GENERATE_USAGE, async (token) => {
    let v;
    try {
      v = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: false }).values;
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (v.help) return io.stdout.write(GENERATE_USAGE), 0;
    const prompt = v.prompt ?? (v['prompt-file'] ? await fs.readFile(v['prompt-file'], 'utf8') : undefined);
    if (prompt === undefined) throw new UsageError('--prompt TEXT or --prompt-file FILE is required');
    const options = generateOptions(v, (t) => io.stdout.write(t));
    const decoder = await loadDecoder(v, io.stderr);
    try {
      const r = await decoder.generate({ ids: decoder.encodePrompt(prompt) }, options, token);
      printResult(r, v.stats === true, io);
      return 0;
    } finally {
      await decoder.dispose();
    }
  });
}
