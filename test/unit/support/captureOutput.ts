/** In-memory stdout/stderr for CLI command tests (not a test file: the runner only picks up *.test.ts). */
import type { CliOutput } from '../../../src/cli/cliCommand.ts';
import { runCli } from '../../../src/cli/runCli.ts';

export interface CapturedOutput extends CliOutput {
  text: string;
}

/** A writable that keeps everything written to it in `text`. */
export function captureOutput(): CapturedOutput {
  const out = { text: '', write(s: string) { out.text += s; return true; } };
  return out;
}

/** A `CliIo` whose stdout and stderr are both captured. */
export function captureIo(): { readonly stdout: CapturedOutput; readonly stderr: CapturedOutput } {
  return { stdout: captureOutput(), stderr: captureOutput() };
}

/** `squeeze <argv…>` in-process: its exit code and what it printed. */
export async function runCliCaptured(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}
