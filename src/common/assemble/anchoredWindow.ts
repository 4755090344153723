/**
 * The prefix part of the cursor window, kept at the line it started on last time while it still fits. Cutting
 * the window afresh at every keystroke moves its first line as soon as the prefix grows past the budget, and a
 * moved first line changes every token after it, so no prompt-prefix cache survives typing. With an anchor the
 * window stays put; when it no longer fits it is cut again with room to grow (`ANCHOR_SLACK` of the budget).
 */
import type { TokenCounter } from '../compress/compressTypes.ts';
import { fitLines, splitKeepingNewlines, type FittedText } from './windowFit.ts';

export const ANCHOR_SLACK = 0.25;

export interface WindowSource {
  readonly prefix: string;
  /** 1-based line where `prefix` starts. */
  readonly startLine: number;
  /** 1-based line the previous window of this file started at. */
  readonly anchorLine?: number;
}

function fromAnchor(c: WindowSource, budget: number, count: TokenCounter): FittedText | undefined {
  const skip = (c.anchorLine ?? -1) - c.startLine;
  const lines = splitKeepingNewlines(c.prefix);
  if (skip < 0 || skip >= lines.length) return undefined;
  const text = lines.slice(skip).join('');
  const tokens = count(text);
  return tokens <= budget ? { text, tokens, cut: skip } : undefined;
}

export function windowPrefix(c: WindowSource, budget: number, count: TokenCounter): FittedText {
  const anchored = fromAnchor(c, budget, count);
  if (anchored) return anchored;
  const fitted = fitLines(c.prefix, budget, count, true);
  if (c.anchorLine === undefined || fitted.cut === 0) return fitted;
  return fitLines(c.prefix, Math.floor(budget * (1 - ANCHOR_SLACK)), count, true);
}
