/**
 * Entry of the `squeeze` CLI (bundled to dist/cli.cjs). Wires the process: argv, stdout/stderr, and
 * Ctrl-C: the first one cancels the running command through its token (an index run commits what it
 * has and stops cleanly), a second one exits at once.
 */
import { CancellationTokenSource } from '../common/cancellation.ts';
import { EXIT } from './cliCommand.ts';
import { runCli } from './runCli.ts';

async function main(): Promise<void> {
  const source = new CancellationTokenSource();
  const onSigint = () => {
    if (source.token.isCancellationRequested) process.exit(EXIT.cancelled);
    process.stderr.write('\nCancelling… (press Ctrl-C again to quit at once)\n');
    source.cancel();
  };
  process.on('SIGINT', onSigint);
  try {
    process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, token: source.token });
  } finally {
    process.removeListener('SIGINT', onSigint);
    source.dispose();
  }
}

void main();
