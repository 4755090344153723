/**
 * How much of what surrounds the cursor each candidate text names: the sum, over the weighted cursor
 * names it contains (whole names, case-sensitive), of weight × ln(1 + N / df), where df counts the
 * candidates holding the name among the N given. The IDF is the pool's own, so a name every candidate
 * shares counts little and no index statistics are needed. Pure.
 */
import type { CancellationToken } from '../cancellation.ts';
import { throwIfCancelled } from '../cancellation.ts';
import { codeNames } from '../assemble/codeNames.ts';

export function nameOverlapScores(texts: readonly string[], weights: ReadonlyMap<string, number>, token?: CancellationToken): number[] {
  const held: Set<string>[] = [];
  const df = new Map<string, number>();
  for (const text of texts) {
    throwIfCancelled(token);
    const names = new Set(codeNames(text).filter((n) => weights.has(n)));
    for (const n of names) df.set(n, (df.get(n) ?? 0) + 1);
    held.push(names);
  }
  const n = texts.length;
  return held.map((names) => {
    let score = 0;
    for (const name of names) score += (weights.get(name) ?? 0) * Math.log(1 + n / (df.get(name) ?? 1));
    return score;
  });
}
