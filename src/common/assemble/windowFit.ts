/**
 * Fits the cursor window to a token budget by whole lines: the prefix loses lines from the top, the
 * suffix from the bottom. The cursor's own line (end of prefix, start of suffix) is kept whole-or-nothing.
 */
import type { TokenCounter } from '../compress/compressTypes.ts';

export interface FittedText {
  readonly text: string;
  readonly tokens: number;
  /** Lines removed. */
  readonly cut: number;
}

/** Splits into lines that keep their '\n', so joining gives the text back. */
export function splitKeepingNewlines(text: string): string[] {
  const out = text.match(/[^\n]*\n|[^\n]+$/g);
  return out ?? [];
}

/**
 * The longest tail (fromEnd) or head of `text`'s lines whose count fits `budget`. The line counts give a first
 * guess (lines repeat from one request to the next, so a caching counter answers them at once); the joined
 * text is then counted exactly, a line dropped while it is over and one added while it still fits.
 */
export function fitLines(text: string, budget: number, count: TokenCounter, fromEnd: boolean): FittedText {
  const whole = count(text);
  if (whole <= budget) return { text, tokens: whole, cut: 0 };
  const lines = splitKeepingNewlines(text);
  const pick = (n: number): string => (fromEnd ? lines.slice(lines.length - n) : lines.slice(0, n)).join('');
  const nearest = (i: number): string => lines[fromEnd ? lines.length - 1 - i : i]!;
  let n = 0;
  for (let sum = 0; n < lines.length && sum + count(nearest(n)) <= budget; n++) sum += count(nearest(n));
  while (n > 0 && count(pick(n)) > budget) n--;
  while (n < lines.length && count(pick(n + 1)) <= budget) n++;
  const kept = pick(n);
  return { text: kept, tokens: kept ? count(kept) : 0, cut: lines.length - n };
}
