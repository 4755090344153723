import { parseArgs } from 'node:util';
import type { CancellationToken } from '../../common/cancellation.ts';
import { CancellationTokenSource, isCancellationError } from '../../common/cancellation.ts';
import { formatBytes, MODEL_CATALOG } from '../../common/models/modelCatalog.ts';
import { manifestBytes } from '../../common/models/modelManifest.ts';
import { isModelDownloadError } from '../../common/models/modelErrors.ts';
import { renderProgressLine } from '../../common/models/progressLine.ts';
import { pullModel } from '../../node/models/modelDownloader.ts';
import type { PullProgress } from '../../node/models/modelDownloader.ts';
import { defaultModelsDir, listModelsDir } from '../../node/models/modelStore.ts';
import { cliErrorMessage } from '../cliErrorMessage.ts';

/**
 * `squeeze models list` and `squeeze models pull <name> [--dest DIR]`.
 * Exit codes: 0 done, 1 failed, 2 usage error, 130 cancelled (Ctrl+C; the download resumes next time).
 */
export interface CliOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ModelsCommandIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly env?: NodeJS.ProcessEnv;
  /** When absent, Ctrl+C (SIGINT) cancels a pull. */
  readonly token?: CancellationToken;
}

export const MODELS_USAGE = `Usage:
  squeeze models list [--models-dir DIR] [--json]
  squeeze models pull <name> [--dest DIR] [--models-dir DIR] [--mirror URL] [--force]

Models are stored in --models-dir (default: $SQUEEZE_MODELS_DIR or ~/.cache/squeeze/models).
--mirror (or $SQUEEZE_MODEL_MIRROR) replaces https://huggingface.co.
`;

const OPTIONS = {
  dest: { type: 'string' },
  'models-dir': { type: 'string' },
  mirror: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const MODELS_COMMAND = {
  name: 'models',
  summary: 'List and download recommended ONNX models (list | pull <name>)',
  usage: MODELS_USAGE,
  run: runModelsCommand,
} as const;

/** `args` are the words after `models`. */
export async function runModelsCommand(args: readonly string[], io: ModelsCommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n\n${MODELS_USAGE}`);
    return 2;
  }
  const [sub, name, ...extra] = parsed.positionals;
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(MODELS_USAGE);
    return 0;
  }
  const modelsDir = v['models-dir'] ?? defaultModelsDir(io.env);
  if (sub === 'list' && name === undefined) return listCommand(modelsDir, v.json === true, io);
  if (sub === 'pull' && name !== undefined && extra.length === 0) {
    return pullCommand(name, { modelsDir, dest: v.dest, mirror: v.mirror, force: v.force === true }, io);
  }
  io.stderr.write(`${modelsUsageProblem(sub, name, extra.length)}\n\n${MODELS_USAGE}`);
  return 2;
}

/** What is wrong with the words after `models` (called only when they are not `list` or `pull <name>`). */
export function modelsUsageProblem(sub: string | undefined, name: string | undefined, extra: number): string {
  if (sub === undefined) return 'say what to do: list or pull <name>';
  if (sub === 'list') return `list takes no name, got '${name ?? ''}'`;
  if (sub === 'pull') return name === undefined ? 'pull needs a model name (squeeze models list names them)' : `pull takes one name, got ${extra + 1}`;
  return `unknown subcommand '${sub}': use list or pull <name>`;
}

async function listCommand(modelsDir: string, json: boolean, io: ModelsCommandIo): Promise<number> {
  const { installed, partial } = await listModelsDir(modelsDir);
  const byName = new Map(installed.map((m) => [m.manifest.name, m]));
  const rows = MODEL_CATALOG.map((e) => {
    const inst = byName.get(e.name);
    const state = inst ? `installed ${inst.dir}` : partial.includes(e.name) ? 'partial (pull again to resume)' : '-';
    return { name: e.name, role: e.role, size: inst ? manifestBytes(inst.manifest) : e.approxBytes, state, title: e.title };
  });
  const custom = installed.filter((m) => !MODEL_CATALOG.some((e) => e.name === m.manifest.name));
  for (const m of custom) rows.push({ name: m.manifest.name, role: m.manifest.role, size: manifestBytes(m.manifest), state: `installed ${m.dir}`, title: m.manifest.title });
  if (json) {
    io.stdout.write(`${JSON.stringify({ modelsDir, models: rows }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  io.stdout.write(`Models folder: ${modelsDir}\n\n`);
  for (const r of rows) {
    io.stdout.write(`${r.name.padEnd(width)}  ${r.role.padEnd(7)}  ${formatBytes(r.size).padStart(7)}  ${r.title}\n${' '.repeat(width + 2)}${r.state}\n`);
  }
  io.stdout.write('\nDownload one with: squeeze models pull <name>\n');
  return 0;
}

interface PullArgs {
  readonly modelsDir: string;
  readonly dest: string | undefined;
  readonly mirror: string | undefined;
  readonly force: boolean;
}

async function pullCommand(name: string, a: PullArgs, io: ModelsCommandIo): Promise<number> {
  const own = io.token ? undefined : new CancellationTokenSource();
  const token = io.token ?? own?.token;
  const onSigint = () => own?.cancel();
  if (own) process.once('SIGINT', onSigint);
  const progress = new ProgressPrinter(io.stderr);
  try {
    const r = await pullModel(name, {
      modelsDir: a.modelsDir,
      force: a.force,
      env: io.env ?? process.env,
      onProgress: (p) => progress.update(p),
      ...(a.dest !== undefined ? { dest: a.dest } : {}),
      ...(a.mirror !== undefined ? { mirror: a.mirror } : {}),
      ...(token ? { token } : {}),
    });
    progress.finish();
    const size = formatBytes(manifestBytes(r.manifest));
    const what = r.alreadyInstalled ? 'Already installed' : 'Installed';
    const setting = r.manifest.role === 'encoder' ? 'squeeze.models.encoderPath' : 'squeeze.models.decoderPath';
    io.stdout.write(`${what}: ${r.manifest.name} (${r.manifest.files.length} files, ${size}) in ${r.dir}\nSet ${setting} to that folder to use it.\n`);
    return 0;
  } catch (e) {
    progress.finish();
    if (isCancellationError(e)) {
      io.stderr.write('Cancelled. Run the same command again to resume.\n');
      return 130;
    }
    io.stderr.write(`${isModelDownloadError(e) ? e.message : cliErrorMessage(e)}\n`);
    return 1;
  } finally {
    if (own) process.removeListener('SIGINT', onSigint);
  }
}

/** A redrawn progress line on a terminal (at most 10 times a second); one line per file otherwise. */
class ProgressPrinter {
  private readonly out: CliOutput;
  private lastDraw = 0;
  private lastFile = '';
  private drawn = false;

  constructor(out: CliOutput) {
    this.out = out;
  }

  update(p: PullProgress): void {
    if (!this.out.isTTY) {
      if (p.file !== this.lastFile) this.out.write(`Downloading ${p.file}\n`);
      this.lastFile = p.file;
      return;
    }
    const now = Date.now();
    const fileDone = p.fileTotal !== undefined && p.fileBytes >= p.fileTotal;
    if (now - this.lastDraw < 100 && !fileDone && p.file === this.lastFile) return;
    this.lastDraw = now;
    this.lastFile = p.file;
    this.out.write(`\r\x1b[2K${renderProgressLine(p, this.out.columns ?? 80)}`);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
