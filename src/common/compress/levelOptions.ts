/**
 * The detail-level ladder of one chunk as (tokens, value) points, reduced to its upper convex hull from
 * (0 tokens, 0 value) = dropped. Hull steps have decreasing value per token, which is what makes the
 * greedy multiple-choice knapsack in compress.ts take a chunk's levels in order.
 */
import { renderCollapsed, renderSignatures } from '../chunk/detailLevels.ts';
import type { CompressLevel, PieceFormatter, PieceSource, ScoredChunk, TokenCounter } from './compressTypes.ts';
import { thinLines } from './lineThinning.ts';
import { dropMarks } from './massThinning.ts';

export type KeptLevel = Exclude<CompressLevel, 'dropped'>;

export const DEFAULT_RETENTION: Readonly<Record<KeptLevel, number>> = { full: 1, collapsed: 0.6, signature: 0.3 };

export interface LevelOption {
  readonly level: KeptLevel;
  readonly body: string;
  readonly text: string;
  readonly tokens: number;
  readonly value: number;
  readonly droppedLines: number;
}

export interface LadderContext {
  readonly countTokens: TokenCounter;
  readonly formatPiece: PieceFormatter;
  readonly retention: Readonly<Record<KeptLevel, number>>;
  readonly minLineMass: number;
  /** Share of a chunk's `lineMass` its lowest-mass lines may take away at `full` (massThinning.ts). */
  readonly dropMassShare?: number;
}

export function sourceOf(c: ScoredChunk): PieceSource {
  const { path, language, startLine, endLine, symbolPath } = c.chunk;
  return { path, language, startLine, endLine, symbolPath };
}

function bodies(c: ScoredChunk, minLineMass: number, dropMassShare: number): { level: KeptLevel; body: string; droppedLines: number }[] {
  const marks = c.lineMass && dropMassShare > 0 ? dropMarks(c.chunk.text, c.lineMass, dropMassShare) : c.lineMass;
  const full = thinLines(c.chunk.text, marks, minLineMass);
  const out: { level: KeptLevel; body: string; droppedLines: number }[] = [{ level: 'full', body: full.text, droppedLines: full.droppedLines }];
  const collapsedRaw = renderCollapsed(c.chunk);
  if (collapsedRaw !== c.chunk.text) {
    const collapsed = thinLines(collapsedRaw);
    out.push({ level: 'collapsed', body: collapsed.text, droppedLines: collapsed.droppedLines });
  }
  const signature = renderSignatures(c.chunk);
  if (signature.trim() !== '') out.push({ level: 'signature', body: `${signature}\n`, droppedLines: 0 });
  return out.filter((b) => b.body.trim() !== '');
}

/** All non-empty levels of a chunk, priced. */
export function levelOptions(c: ScoredChunk, ctx: LadderContext): LevelOption[] {
  const source = sourceOf(c);
  const score = Math.max(0, Number.isFinite(c.score) ? c.score : 0);
  return bodies(c, ctx.minLineMass, ctx.dropMassShare ?? 0).map((b) => {
    const text = ctx.formatPiece(source, b.body);
    return { ...b, text, tokens: ctx.countTokens(text), value: score * ctx.retention[b.level] };
  });
}

function cross(o: { t: number; v: number }, a: { t: number; v: number }, b: { t: number; v: number }): number {
  return (a.t - o.t) * (b.v - o.v) - (a.v - o.v) * (b.t - o.t);
}

/** The options on the upper convex hull from (0, 0), by ascending tokens; dominated and zero-value ones removed. */
export function hullLadder(options: readonly LevelOption[]): LevelOption[] {
  const sorted = [...options].filter((o) => o.value > 0 && o.tokens > 0).sort((a, b) => a.tokens - b.tokens || b.value - a.value);
  const frontier: LevelOption[] = [];
  for (const o of sorted) {
    const last = frontier[frontier.length - 1];
    if (last === undefined || o.value > last.value) frontier.push(o);
  }
  const hull: { t: number; v: number; o?: LevelOption }[] = [{ t: 0, v: 0 }];
  for (const o of frontier) {
    const p = { t: o.tokens, v: o.value, o };
    while (hull.length >= 2 && cross(hull[hull.length - 2]!, hull[hull.length - 1]!, p) >= 0) hull.pop();
    hull.push(p);
  }
  return hull.flatMap((h) => (h.o ? [h.o] : []));
}
