/**
 * The names near the cursor, weighted by closeness: each name of the last `lines` lines before the cursor
 * gets `decay^d`, d = how many lines above the cursor's line it last occurs (the cursor's line: d = 0).
 * Keywords are left out (`codeNames`). Pure.
 */
import { codeNames } from '../assemble/codeNames.ts';

export interface CursorNameOptions {
  /** Lines before the cursor read (default 10, the eval's query window). */
  readonly lines?: number;
  /** Weight lost per line of distance (default 0.85). */
  readonly decay?: number;
}

export const DEFAULT_CURSOR_LINES = 10;
export const DEFAULT_CURSOR_DECAY = 0.85;

export function cursorNameWeights(prefix: string, o: CursorNameOptions = {}): Map<string, number> {
  const all = prefix.split('\n');
  const lines = all.slice(Math.max(0, all.length - (o.lines ?? DEFAULT_CURSOR_LINES)));
  const decay = o.decay ?? DEFAULT_CURSOR_DECAY;
  const weights = new Map<string, number>();
  lines.forEach((line, i) => {
    const w = decay ** (lines.length - 1 - i);
    for (const name of codeNames(line)) weights.set(name, Math.max(w, weights.get(name) ?? 0));
  });
  return weights;
}
