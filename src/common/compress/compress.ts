/**
 * Context compression: choose a detail level per candidate chunk (full, collapsed, signature, dropped)
 * to maximise retained score within a token budget. It is a multiple-choice knapsack; we solve it with
 * the classic greedy over each chunk's convex-hull ladder: all ladder steps sorted by marginal value per
 * token, a step taken when the chunk's previous step was taken and it still fits, and a chunk frozen at
 * its level once a step does not fit (later steps need it); then the same greedy seeded with the most
 * valuable single level that fits, if that beats it (at least half the optimum). O(n log n + levels·n),
 * deterministic (total order on ties), never over budget by construction.
 */
import { chunkId } from '../chunk/chunk.ts';
import { estimateTokens } from '../chunk/estimateTokens.ts';
import type {
  CompressDecision, CompressOptions, CompressResult, CompressedPiece, LineRange, PieceFormatter, ScoredChunk,
} from './compressTypes.ts';
import { DEFAULT_RETENTION, hullLadder, levelOptions, sourceOf, type LadderContext, type LevelOption } from './levelOptions.ts';
import { mergeAdjacent, type KeptUnit } from './mergePieces.ts';

export const defaultPieceFormatter: PieceFormatter = (s, body) => `${s.path}:${s.startLine}-${s.endLine}\n${body.endsWith('\n') ? body : `${body}\n`}`;

interface Unit {
  readonly index: number;
  readonly candidate: ScoredChunk;
  readonly ladder: readonly LevelOption[];
  readonly fullTokens: number;
  /** Why it is out before any budget is spent, when it is. */
  readonly preDropped?: string;
}

interface Step {
  readonly unit: number;
  readonly step: number;
  readonly dt: number;
  readonly ratio: number;
}

/** At least half of the chunk's lines are already in the prompt (a smaller overlap is repeated rather than lose the rest). */
export function overlaps(c: ScoredChunk, ranges: readonly LineRange[]): boolean {
  const { path, startLine, endLine } = c.chunk;
  return ranges.some((r) => {
    const shared = Math.min(endLine, r.endLine) - Math.max(startLine, r.startLine) + 1;
    return r.path === path && shared > 0 && shared * 2 >= endLine - startLine + 1;
  });
}

function buildUnits(candidates: readonly ScoredChunk[], ctx: LadderContext, exclude: readonly LineRange[]): Unit[] {
  const seen = new Set<string>();
  return candidates.map((candidate, index) => {
    const id = chunkId(candidate.chunk);
    const options = levelOptions(candidate, ctx);
    const fullTokens = options.find((o) => o.level === 'full')?.tokens ?? 0;
    const base = { index, candidate, fullTokens };
    if (seen.has(id)) return { ...base, ladder: [], preDropped: 'duplicate of an earlier candidate' };
    seen.add(id);
    if (overlaps(candidate, exclude)) return { ...base, ladder: [], preDropped: 'already in the cursor window' };
    const ladder = hullLadder(options);
    if (ladder.length === 0) return { ...base, ladder, preDropped: options.length === 0 ? 'nothing to show' : 'no score' };
    return { ...base, ladder };
  });
}

/** Ladder steps of every unit, best value per token first; ties by score, path, line, then step. */
function sortedSteps(units: readonly Unit[]): Step[] {
  const steps: Step[] = [];
  for (const u of units) {
    let prev = { tokens: 0, value: 0 };
    u.ladder.forEach((o, step) => {
      const dt = o.tokens - prev.tokens;
      steps.push({ unit: u.index, step, dt, ratio: (o.value - prev.value) / dt });
      prev = o;
    });
  }
  const key = (s: Step): ScoredChunk => units[s.unit]!.candidate;
  return steps.sort((a, b) => b.ratio - a.ratio || key(b).score - key(a).score
    || compareIds(key(a), key(b)) || a.unit - b.unit || a.step - b.step);
}

function compareIds(a: ScoredChunk, b: ScoredChunk): number {
  return a.chunk.path < b.chunk.path ? -1 : a.chunk.path > b.chunk.path ? 1 : a.chunk.startLine - b.chunk.startLine;
}

interface Start {
  readonly unit: number;
  readonly steps: number;
  readonly tokens: number;
}

/** Greedy fill: how many ladder steps each unit takes, optionally starting from one unit already at a level. */
function chooseSteps(units: readonly Unit[], steps: readonly Step[], budget: number, start?: Start): number[] {
  const taken = units.map((u) => (u.index === start?.unit ? start.steps : 0));
  const blocked = units.map(() => false);
  let used = start?.tokens ?? 0;
  for (const s of steps) {
    if (blocked[s.unit] || taken[s.unit] !== s.step) continue;
    if (used + s.dt <= budget) {
      used += s.dt;
      taken[s.unit] = s.step + 1;
    } else blocked[s.unit] = true;
  }
  return taken;
}

function valueOf(units: readonly Unit[], taken: readonly number[]): number {
  return units.reduce((sum, u) => sum + (taken[u.index]! > 0 ? u.ladder[taken[u.index]! - 1]!.value : 0), 0);
}

/**
 * The greedy, or, when worth more, the greedy started from the most valuable single level that fits (the
 * classic fix that bounds the greedy's loss to half the optimum when one long chunk outweighs many short ones).
 */
function chooseLevels(units: readonly Unit[], budget: number): number[] {
  const steps = sortedSteps(units);
  const greedy = chooseSteps(units, steps, budget);
  let best: Start | undefined;
  let bestValue = valueOf(units, greedy);
  for (const u of units) {
    u.ladder.forEach((o, i) => {
      if (o.tokens <= budget && o.value > bestValue) {
        best = { unit: u.index, steps: i + 1, tokens: o.tokens };
        bestValue = o.value;
      }
    });
  }
  if (best === undefined) return greedy;
  const alt = chooseSteps(units, steps, budget, best);
  return valueOf(units, alt) > valueOf(units, greedy) ? alt : greedy;
}

function reasonFor(option: LevelOption | undefined, unit: Unit): string {
  if (option === undefined) return unit.preDropped ?? 'over budget';
  if (option.level === 'full') return 'fits the budget';
  const full = `full text (${unit.fullTokens} tokens) over budget`;
  return option.level === 'collapsed' ? `collapsed: ${full}` : `signatures only: ${full}`;
}

function decisionOf(unit: Unit, option: LevelOption | undefined): CompressDecision {
  const { path, startLine, endLine, symbolPath } = unit.candidate.chunk;
  return {
    path, startLine, endLine, symbolPath, score: unit.candidate.score,
    level: option?.level ?? 'dropped', tokens: option?.tokens ?? 0, fullTokens: unit.fullTokens,
    reason: reasonFor(option, unit), droppedLines: option?.droppedLines ?? 0, chars: option?.text.length ?? 0,
  };
}

export function compressContext(candidates: readonly ScoredChunk[], options: CompressOptions): CompressResult {
  const countTokens = options.countTokens ?? estimateTokens;
  const formatPiece = options.formatPiece ?? defaultPieceFormatter;
  const ctx: LadderContext = { countTokens, formatPiece, retention: options.retention ?? DEFAULT_RETENTION, minLineMass: options.minLineMass ?? 0, dropMassShare: options.dropMassShare ?? 0 };
  const budget = Math.max(0, Math.floor(options.budget));
  const units = buildUnits(candidates, ctx, options.exclude ?? []);
  const taken = chooseLevels(units, budget);
  const kept: KeptUnit[] = [];
  const decisions = units.map((u) => {
    const option = taken[u.index]! > 0 ? u.ladder[taken[u.index]! - 1] : undefined;
    if (option) kept.push({ index: u.index, candidate: u.candidate, option, source: sourceOf(u.candidate) });
    return decisionOf(u, option);
  });
  const { pieces, mergedInto } = mergeAdjacent(kept, { countTokens, formatPiece });
  const finalDecisions = decisions.map((d, i) => (mergedInto.has(i) ? { ...d, reason: `${d.reason}; merged with the adjacent chunk above` } : d));
  const usedTokens = pieces.reduce((s, p) => s + p.tokens, 0);
  return { pieces: sortPieces(pieces), decisions: finalDecisions, usedTokens, budget };
}

function sortPieces(pieces: readonly CompressedPiece[]): CompressedPiece[] {
  return [...pieces].sort((a, b) => b.score - a.score || (a.source.path < b.source.path ? -1 : a.source.path > b.source.path ? 1 : 0)
    || a.source.startLine - b.source.startLine);
}
