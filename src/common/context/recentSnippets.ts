/**
 * Recently edited and viewed code as completion context (issue 8, "Query building": candidates from the
 * open and recently edited files). The index follows saved files with a delay; what the user touched a
 * minute ago in another editor is often what the next line needs, saved or not. A bounded ring of line
 * windows, newest first: a window that overlaps one of the same file replaces it. Ranked against the
 * completion query by Jaccard similarity of code tokens (the tokens of the hashed encoder), with a mild
 * preference for recent ones. Pure; the editor side feeds it (src/vscode/context/recentSnippetTracker.ts).
 */
import { codeTokens } from '../encode/codeTokens.ts';

export interface RecentSnippet {
  readonly path: string;
  readonly language: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly tokens: ReadonlySet<string>;
  /** Increases with every note: higher is newer. */
  readonly stamp: number;
}

export interface RankedSnippet {
  readonly snippet: RecentSnippet;
  /** Jaccard similarity to the query times the recency factor, in [0, 1]. */
  readonly score: number;
}

export interface RecentSnippetOptions {
  /** Windows kept (default 16). */
  readonly capacity?: number;
  /** Lines per window, centred on the noted line (default 24). */
  readonly windowLines?: number;
}

export interface LineRange {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
}

const overlaps = (a: LineRange, b: LineRange): boolean => a.path === b.path && a.startLine <= b.endLine && b.startLine <= a.endLine;

export class RecentSnippets {
  private readonly capacity: number;
  private readonly windowLines: number;
  private snippets: RecentSnippet[] = [];
  private clock = 0;

  constructor(o: RecentSnippetOptions = {}) {
    this.capacity = Math.max(1, o.capacity ?? 16);
    this.windowLines = Math.max(3, o.windowLines ?? 24);
  }

  get size(): number {
    return this.snippets.length;
  }

  /**
   * Notes the window around the 0-based file line `line`. `lines` are the file's lines from `offset` on
   * (the whole file when `offset` is 0); blank windows are ignored.
   */
  note(path: string, language: string, lines: readonly string[], line: number, offset = 0): void {
    const half = Math.floor(this.windowLines / 2);
    const local = line - offset;
    const first = Math.max(0, Math.min(local - half, lines.length - this.windowLines));
    const last = Math.min(lines.length, first + this.windowLines);
    const text = lines.slice(first, last).join('\n');
    if (text.trim() === '') return;
    const snippet: RecentSnippet = {
      path, language, startLine: offset + first + 1, endLine: offset + last, text, tokens: new Set(codeTokens(text)), stamp: ++this.clock,
    };
    this.snippets = [snippet, ...this.snippets.filter((s) => !overlaps(s, snippet))].slice(0, this.capacity);
  }

  /** Forgets the windows of a file (closed, deleted or renamed). */
  forget(path: string): void {
    this.snippets = this.snippets.filter((s) => s.path !== path);
  }

  /**
   * The windows most similar to `query`, best first, without those overlapping `exclude` (the cursor
   * window, already in the prompt) and those scoring under `minScore`.
   */
  rank(query: string, o: { readonly limit?: number; readonly exclude?: LineRange; readonly minScore?: number } = {}): RankedSnippet[] {
    const q = new Set(codeTokens(query));
    if (q.size === 0) return [];
    const newest = this.clock;
    return this.snippets
      .filter((s) => !(o.exclude && overlaps(s, o.exclude)))
      .map((s) => ({ snippet: s, score: jaccard(q, s.tokens) * recency(newest - s.stamp, this.capacity) }))
      .filter((r) => r.score >= (o.minScore ?? 0.05))
      .sort((a, b) => b.score - a.score)
      .slice(0, o.limit ?? 3);
  }
}

/** |a ∩ b| / |a ∪ b|. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** 1 for the newest window, falling linearly to 0.5 for the oldest the ring can hold. */
function recency(age: number, capacity: number): number {
  return 1 - 0.5 * Math.min(1, age / Math.max(1, capacity - 1));
}
