/**
 * Attention-mass line thinning: the lowest-mass lines of a chunk go first. Non-blank lines are taken in
 * ascending mass (ties: the later line first) while the mass removed stays within `dropShare` of the chunk's
 * mass; blank lines are left to `thinLines`. Whole lines only, so never mid-line or mid-token.
 */
import type { Chunk } from '../chunk/chunk.ts';
import type { ScoredChunk } from './compressTypes.ts';
import { thinLines } from './lineThinning.ts';

/** Lines of `text` without its final newline. */
export function splitLines(text: string): string[] {
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** Indices of the lines to drop: lowest mass first, their mass summing to at most `dropShare` of the total. */
export function lowMassLines(lines: readonly string[], lineMass: readonly number[], dropShare: number): Set<number> {
  const mass = (i: number): number => Math.max(0, lineMass[i] ?? 0);
  let total = 0;
  for (let i = 0; i < lines.length; i++) total += mass(i);
  const order = lines.map((_, i) => i).filter((i) => lines[i]!.trim() !== '' && lineMass[i] !== undefined)
    .sort((x, y) => mass(x) - mass(y) || y - x);
  const out = new Set<number>();
  let dropped = 0;
  for (const i of order) {
    if (dropped + mass(i) > dropShare * total) break;
    dropped += mass(i);
    out.add(i);
  }
  return out;
}

/** Per-line masses with the dropped lines marked below any threshold (-1), for `thinLines(text, marks, 0)`. */
export function dropMarks(text: string, lineMass: readonly number[], dropShare: number): number[] {
  const lines = splitLines(text);
  const drop = lowMassLines(lines, lineMass, dropShare);
  return lines.map((_, i) => (drop.has(i) ? -1 : Math.max(0, lineMass[i] ?? 0)));
}

export interface MassThinned {
  readonly chunk: Chunk;
  readonly droppedLines: number;
}

/**
 * The chunk with its low-mass lines (and blank runs) removed, for packers that only read the text (the
 * novelty packer). Definitions index the original text, so they are cleared: no collapsed or signature level.
 */
export function massThinnedChunk(c: ScoredChunk, dropShare: number): MassThinned {
  if (!c.lineMass || dropShare <= 0) return { chunk: c.chunk, droppedLines: 0 };
  const thinned = thinLines(c.chunk.text, dropMarks(c.chunk.text, c.lineMass, dropShare), 0);
  return { chunk: { ...c.chunk, text: thinned.text, definitions: [] }, droppedLines: thinned.droppedLines };
}
