/**
 * Feeds estimated attention mass to ranking and compression. Blend, per candidate i of one request:
 *   r_i = max(0, score_i) / max_j max(0, score_j)      (retrieval score, scaled to [0, 1])
 *   a_i = mass_i / max_j mass_j                        (estimated attention mass of the cursor window's queries)
 *   blended_i = (1 − w)·r_i + w·a_i                    (w = `massWeight`, default 0.5)
 * Candidates the probe did not reach (mass undefined) get a_i = 0. The refined list is sorted by blended
 * score (ties: input order) and carries the blended score as `score` and the per-line masses as `lineMass`,
 * so compression drops the lowest-mass lines first (`dropMassShare` of compressContext, or `massThinnedChunk`
 * for the novelty packer). Pure and deterministic.
 */
import type { ScoredChunk } from '../compress/compressTypes.ts';
import { lowMassLines, splitLines } from '../compress/massThinning.ts';

export interface ChunkMass {
  /** Estimated mass of the whole chunk (the sum of its lines'), undefined when it was not probed. */
  readonly mass: number | undefined;
  /** Estimated mass per line of the chunk's text, one entry per line. */
  readonly lineMass?: readonly number[];
}

export interface RefineOptions {
  /** Weight of attention mass against retrieval score, in [0, 1] (default 0.5). */
  readonly massWeight?: number;
  /** For the rows' `lowMassLines`: share of a chunk's mass its lowest-mass lines may take away (default 0.1). */
  readonly dropMassShare?: number;
}

export interface RefinedRow {
  /** Index in the input candidates. */
  readonly index: number;
  readonly retrievalScore: number;
  readonly mass: number | undefined;
  /** mass / total estimated mass of all probed candidates. */
  readonly massShare: number | undefined;
  readonly blended: number;
  readonly rankBefore: number;
  readonly rankAfter: number;
  /** Lines thinning at `dropMassShare` removes for low mass. */
  readonly lowMassLines: number;
}

export interface RefinedCandidates {
  /** Best blended score first. */
  readonly candidates: readonly ScoredChunk[];
  /** One row per input candidate, in input order. */
  readonly rows: readonly RefinedRow[];
  /** Whether the blended order differs from the retrieval order. */
  readonly rankChanged: boolean;
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((x, y) => values[y]! - values[x]! || x - y);
  const out = new Array<number>(values.length);
  order.forEach((i, r) => { out[i] = r + 1; });
  return out;
}

/** Blended scores of `candidates` given one `ChunkMass` per candidate (same order). */
export function blendedScores(candidates: readonly ScoredChunk[], masses: readonly ChunkMass[], massWeight = 0.5): number[] {
  if (masses.length !== candidates.length) throw new Error(`${masses.length} masses for ${candidates.length} candidates`);
  if (!(massWeight >= 0 && massWeight <= 1)) throw new Error(`massWeight must be in [0, 1], got ${massWeight}`);
  const score = candidates.map((c) => (Number.isFinite(c.score) ? Math.max(0, c.score) : 0));
  const mass = masses.map((m) => (m.mass !== undefined && Number.isFinite(m.mass) ? Math.max(0, m.mass) : 0));
  const maxScore = Math.max(0, ...score);
  const maxMass = Math.max(0, ...mass);
  return score.map((s, i) => (1 - massWeight) * (maxScore > 0 ? s / maxScore : 0) + massWeight * (maxMass > 0 ? mass[i]! / maxMass : 0));
}

export function refineCandidates(candidates: readonly ScoredChunk[], masses: readonly ChunkMass[], o: RefineOptions = {}): RefinedCandidates {
  const blended = blendedScores(candidates, masses, o.massWeight ?? 0.5);
  const before = ranks(candidates.map((c) => (Number.isFinite(c.score) ? c.score : -Infinity)));
  const after = ranks(blended);
  const total = masses.reduce((s, m) => s + (m.mass ?? 0), 0);
  const refined = candidates.map((c, i): ScoredChunk => {
    const lineMass = masses[i]!.lineMass;
    return { chunk: c.chunk, score: blended[i]!, ...(lineMass ? { lineMass } : {}) };
  });
  const dropped = (i: number): number => {
    const lineMass = masses[i]!.lineMass;
    return lineMass ? lowMassLines(splitLines(candidates[i]!.chunk.text), lineMass, o.dropMassShare ?? 0.1).size : 0;
  };
  const rows = candidates.map((c, i): RefinedRow => {
    const mass = masses[i]!.mass;
    return {
      index: i, retrievalScore: c.score, mass, massShare: mass !== undefined && total > 0 ? mass / total : undefined,
      blended: blended[i]!, rankBefore: before[i]!, rankAfter: after[i]!, lowMassLines: dropped(i),
    };
  });
  const order = rows.slice().sort((x, y) => x.rankAfter - y.rankAfter).map((r) => r.index);
  return { candidates: order.map((i) => refined[i]!), rows, rankChanged: rows.some((r) => r.rankBefore !== r.rankAfter) };
}
