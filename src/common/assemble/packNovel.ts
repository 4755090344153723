/**
 * Packs ranked candidates into a budget, best first, each thinned by `novelLines` against what the prompt
 * already shows (the text before the cursor, then every piece packed before it): a candidate that adds
 * nothing is skipped, one that does not fit is skipped and the next tried. Measured on the eval's dev set
 * (docs/eval.md): more of the names a completion needs reach the prompt at the same budget, without
 * losing the near-copies of the target line. Pure and deterministic.
 */
import type { CancellationToken } from '../cancellation.ts';
import { throwIfCancelled } from '../cancellation.ts';
import { markShown, noveltyState, novelLines, type NoveltyOptions } from './novelLines.ts';

export interface NovelPackOptions<T> extends NoveltyOptions {
  /** The prompt's text before the cursor. */
  readonly prefix: string;
  /** In the unit of `cost`. */
  readonly budget: number;
  readonly cost: (rendered: string) => number;
  /** The text to thin and the language of its comments. */
  readonly text: (item: T) => string;
  readonly language: (item: T) => string;
  /** The rendered piece (header + body), as it will stand in the prompt. */
  readonly render: (item: T, body: string) => string;
  readonly token?: CancellationToken;
}

export type NovelOutcome<T> =
  | { readonly item: T; readonly kept: true; readonly body: string; readonly rendered: string; readonly cost: number; readonly droppedLines: number }
  | { readonly item: T; readonly kept: false; readonly reason: 'nothing new' | 'over budget' };

export interface NovelPack<T> {
  /** One outcome per candidate, in input (rank) order. */
  readonly outcomes: readonly NovelOutcome<T>[];
  readonly used: number;
}

/** Stop once less than this is left: no piece with a header fits in it. */
const MIN_LEFT = 8;

export function packNovel<T>(ranked: readonly T[], o: NovelPackOptions<T>): NovelPack<T> {
  const state = noveltyState(o.prefix, o);
  const outcomes: NovelOutcome<T>[] = [];
  let used = 0;
  for (const item of ranked) {
    throwIfCancelled(o.token);
    if (o.budget - used < MIN_LEFT) {
      outcomes.push({ item, kept: false, reason: 'over budget' });
      continue;
    }
    const thinned = novelLines(o.text(item), o.language(item), state, o);
    if (!thinned) {
      outcomes.push({ item, kept: false, reason: 'nothing new' });
      continue;
    }
    const rendered = o.render(item, thinned.text);
    const cost = o.cost(rendered);
    if (used + cost > o.budget) {
      outcomes.push({ item, kept: false, reason: 'over budget' });
      continue;
    }
    used += cost;
    markShown(state, thinned.text);
    outcomes.push({ item, kept: true, body: thinned.text, rendered, cost, droppedLines: thinned.droppedLines });
  }
  return { outcomes, used };
}
