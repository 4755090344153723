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

/** The longest tail (fromEnd) or head of `text`'s lines whose count fits `budget`. */
export function fitLines(text: string, budget: number, count: TokenCounter, fromEnd: boolean): FittedText {
  const lines = splitKeepingNewlines(text);
  const pick = (n: number): string => (fromEnd ? lines.slice(lines.length - n) : lines.slice(0, n)).join('');
  const whole = count(text);
  if (whole <= budget) return { text, tokens: whole, cut: 0 };
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(pick(mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  while (lo > 0 && count(pick(lo)) > budget) lo--;
  const kept = pick(lo);
  return { text: kept, tokens: kept ? count(kept) : 0, cut: lines.length - lo };
}
