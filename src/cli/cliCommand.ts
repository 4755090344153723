/**
 * The shape every `squeeze <command>` has: a name and a one-line summary for `squeeze --help`, a usage
 * text for `squeeze <command> --help`, and `run(args, io)` that returns the exit code
 * (0 done, 1 failed, 2 usage error, 130 cancelled). Commands parse their own words with `node:util` parseArgs.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CancellationToken } from '../common/cancellation.ts';
import { cliErrorMessage } from './cliErrorMessage.ts';

export interface CliOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Cancelled by Ctrl-C (main.ts owns the SIGINT handler). */
  readonly token?: CancellationToken;
}

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** A bad command line: printed with the command's usage, exit code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs in strict mode; its errors become CliUsageError. */
export function parseCommandArgs<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliUsageError((e as Error).message);
  }
}

/** A whole number ≥ `min` from an option value, or a CliUsageError naming the flag. */
export function intOption(value: string | boolean | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < min) throw new CliUsageError(`${flag} must be a whole number ≥ ${min}, got '${String(value)}'`);
  return n;
}

/** The single-line form of an error for the terminal (the stack only with --verbose). */
export function describeError(e: unknown, verbose: boolean): string {
  return verbose && e instanceof Error && e.stack ? e.stack : cliErrorMessage(e);
}
