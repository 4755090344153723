/**
 * The probe prompt of attention-space refinement, laid out so one estimate gives masses per line: candidate
 * chunks in rank order, each line its own "chunk" of the estimator (so keys are grouped by line), then the
 * tail of the cursor window, whose last tokens ask. Candidates are taken while they fit `maxTokens` with the
 * window; the rest are not probed. Masses per line are summed back to masses per chunk. Pure.
 */
import type { ChunkMass } from './attentionRefine.ts';

export interface LineProbeLayout {
  readonly ids: readonly number[];
  /** Line slot of every token, -1 for window tokens. */
  readonly lineOf: Int32Array;
  /** Line slots in all (the estimator's chunk count). */
  readonly slots: number;
  /** First slot and line count of each candidate; undefined for candidates that did not fit. */
  readonly spans: readonly ({ readonly first: number; readonly lines: number } | undefined)[];
  /** Window tokens at the end (the query tokens are the last of them). */
  readonly windowTokens: number;
}

/**
 * `candidateLines[c][l]`: token ids of line `l` of candidate `c`; `windowIds`: the cursor window, of which
 * only the last `maxWindow` tokens are kept.
 */
export function lineProbeLayout(candidateLines: readonly (readonly (readonly number[])[])[], windowIds: readonly number[], maxTokens: number, maxWindow = 1024): LineProbeLayout {
  const window = windowIds.slice(Math.max(0, windowIds.length - maxWindow));
  const ids: number[] = [];
  const lineOf: number[] = [];
  const spans: ({ first: number; lines: number } | undefined)[] = [];
  let slots = 0;
  for (const lines of candidateLines) {
    const size = lines.reduce((s, l) => s + l.length, 0);
    if (ids.length + size + window.length > maxTokens) {
      spans.push(undefined);
      continue;
    }
    spans.push({ first: slots, lines: lines.length });
    for (const l of lines) {
      ids.push(...l);
      lineOf.push(...l.map(() => slots));
      slots++;
    }
  }
  ids.push(...window);
  lineOf.push(...window.map(() => -1));
  return { ids, lineOf: Int32Array.from(lineOf), slots, spans, windowTokens: window.length };
}

/** Per-slot masses back to one `ChunkMass` per candidate (the chunk mass is the sum of its lines'). */
export function chunkMasses(layout: LineProbeLayout, slotMass: ArrayLike<number>): ChunkMass[] {
  return layout.spans.map((span) => {
    if (!span) return { mass: undefined };
    const lineMass = Array.from({ length: span.lines }, (_, l) => slotMass[span.first + l]!);
    return { mass: lineMass.reduce((s, m) => s + m, 0), lineMass };
  });
}
