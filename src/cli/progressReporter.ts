/**
 * Indexing progress on stderr. On a terminal: one line redrawn in place (at most every 80 ms, and at each
 * phase change) with a bar, counts and the current path. Elsewhere (pipes, CI logs): a plain line when a
 * phase starts (its file count) and then at most one every 5 seconds (count and path).
 */
import type { IndexProgress } from '../node/indexer/repositoryIndexer.ts';
import type { CliOutput } from './cliCommand.ts';

const PHASE_LABEL: Record<IndexProgress['phase'], string> = { scan: 'scanning', chunk: 'chunking', encode: 'encoding', commit: 'saving' };
const BAR_WIDTH = 24;

export interface ProgressOptions {
  readonly tty?: boolean;
  readonly now?: () => number;
}

export class ProgressReporter {
  private readonly out: CliOutput;
  private readonly tty: boolean;
  private readonly now: () => number;
  private lastPhase = '';
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(out: CliOutput, options: ProgressOptions = {}) {
    this.out = out;
    this.tty = options.tty ?? out.isTTY === true;
    this.now = options.now ?? Date.now;
  }

  update(p: IndexProgress): void {
    const t = this.now();
    const phaseChanged = p.phase !== this.lastPhase;
    this.lastPhase = p.phase;
    if (!phaseChanged && t - this.lastDraw < (this.tty ? 80 : 5000)) return;
    this.lastDraw = t;
    if (this.tty) {
      const line = renderProgressLine(p, Math.max(40, (this.out.columns ?? 80) - 1));
      this.out.write(`\r\x1b[K${line}`);
      this.drawn = true;
    } else {
      this.out.write(`${phaseChanged ? phaseStartLine(p) : progressLine(p)}\n`);
    }
  }

  /** Erases the in-place line (before other output, and at the end). */
  clear(): void {
    if (this.tty && this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** The plain line when a phase starts: what it will go through (`chunking 400 files`), not its first item. */
function phaseStartLine(p: IndexProgress): string {
  return p.total > 0 && p.phase !== 'commit' ? `${PHASE_LABEL[p.phase]} ${p.total} files` : PHASE_LABEL[p.phase];
}

/** The plain line while a phase runs: `chunking 120/400  src/app.ts`. */
function progressLine(p: IndexProgress): string {
  const count = p.total > 0 ? `${p.done}/${p.total}` : `${p.done}`;
  return `${PHASE_LABEL[p.phase]} ${count}${p.path ? `  ${p.path}` : ''}`;
}

/** `chunking [#########---------------]  120/400  src/app.ts`, cut to `width` characters. */
export function renderProgressLine(p: IndexProgress, width: number): string {
  const label = PHASE_LABEL[p.phase].padEnd(9);
  let head: string;
  if (p.total > 0) {
    const filled = Math.round((Math.min(p.done, p.total) / p.total) * BAR_WIDTH);
    head = `${label}[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${p.done}/${p.total}`;
  } else {
    head = `${label}${p.done} files`;
  }
  const room = width - head.length - 2;
  if (room < 8 || !p.path) return head.slice(0, width);
  const shown = p.path.length <= room ? p.path : `…${p.path.slice(p.path.length - room + 1)}`;
  return `${head}  ${shown}`;
}
