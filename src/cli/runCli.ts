/**
 * The command table and dispatch of the `squeeze` CLI, separate from process wiring (main.ts) so it runs
 * in-process in tests. Commands load lazily: `squeeze index` never loads the ONNX runtime.
 */
import { isCancellationError } from '../common/cancellation.ts';
import { CliUsageError, EXIT, describeError, type CliCommand, type CliIo } from './cliCommand.ts';

interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<CliCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'index', summary: 'Index a repository (incremental; resumable)', load: async () => (await import('./commands/indexCommand.ts')).INDEX_COMMAND },
  { name: 'search', summary: 'Search a repository: path:start-end  score  [cluster  mass]  symbol', load: async () => (await import('./commands/searchCommand.ts')).SEARCH_COMMAND },
  { name: 'demo', summary: 'Index the bundled sample repository and run a few searches', load: async () => (await import('./commands/demoCommand.ts')).DEMO_COMMAND },
  { name: 'models', summary: 'List and download recommended ONNX models', load: async () => (await import('./commands/models.ts')).MODELS_COMMAND },
  { name: 'generate', summary: 'Generate text from a prompt with a local ONNX model', load: async () => (await import('./commands/generate.ts')).GENERATE_COMMAND },
  { name: 'complete', summary: 'Fill-in-the-middle completion at <file>:<line>:<col>', load: async () => (await import('./commands/complete.ts')).COMPLETE_COMMAND },
  { name: 'context', summary: 'Prompt, kept/collapsed/dropped chunks and position ids at <file>:<line>:<col>', load: async () => (await import('./commands/contextCommand.ts')).CONTEXT_COMMAND },
  { name: 'eval', summary: 'Score retrieval for line completion on a tasks file (identifier recall, gold-line hit; with a model, exact match and edit similarity)', load: async () => (await import('./commands/evalCommand.ts')).EVAL_COMMAND },
];

export function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: squeeze <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun 'squeeze <command> --help' for the options of a command.\n`;
}

/** Runs one command line; returns the exit code (0 ok, 1 failed, 2 usage, 130 cancelled). Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    if (topic) return runCli([topic.name, '--help'], io);
    if (name === 'help' && rest[0] !== undefined) return unknownCommand(rest[0], io);
    (name === undefined ? io.stderr : io.stdout).write(mainUsage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) return unknownCommand(name, io);
  const verbose = rest.includes('--verbose') || rest.includes('-v');
  let command: CliCommand | undefined;
  try {
    command = await entry.load();
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof CliUsageError) {
      io.stderr.write(`squeeze ${name}: ${e.message}\n\n${usageSynopsis(command?.usage ?? '')}Run 'squeeze ${name} --help' for all options.\n`);
      return EXIT.usage;
    }
    if (isCancellationError(e)) {
      io.stderr.write(`squeeze ${name}: cancelled${name === 'index' || name === 'search' ? ' (the index keeps what was committed; run again to continue)' : ''}\n`);
      return EXIT.cancelled;
    }
    io.stderr.write(`squeeze ${name}: ${describeError(e, verbose)}\n`);
    return EXIT.failed;
  }
}

function unknownCommand(name: string, io: CliIo): number {
  io.stderr.write(`squeeze: unknown command '${name}'. Run 'squeeze --help' for the list of commands.\n`);
  return EXIT.usage;
}

/** The usage text up to its first blank line (the synopsis), so a usage error's message stays in view. */
export function usageSynopsis(usage: string): string {
  const end = usage.indexOf('\n\n');
  return end < 0 ? usage : `${usage.slice(0, end + 1)}\n`;
}
