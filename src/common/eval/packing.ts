/**
 * Packs ranked context pieces into a budget, best first: each piece is rendered with a path header in
 * the language's line-comment style; a piece that does not fit is skipped and the next one tried.
 * The same packer serves every retriever, so they are compared at the same budget.
 */
import { estimateTokens } from '../chunk/estimateTokens.ts';

export interface ContextPiece {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  /** Optional label after the range (`signatures`, a symbol path). */
  readonly label?: string;
}

/** A budget in characters or in estimated tokens (`estimateTokens`). */
export type Budget = { readonly unit: 'chars'; readonly size: number } | { readonly unit: 'tokens'; readonly size: number };

export function budgetCost(text: string, budget: Budget): number {
  return budget.unit === 'chars' ? text.length : estimateTokens(text);
}

const HASH_COMMENT = new Set(['python', 'ruby', 'shell', 'bash']);

export function commentPrefix(language: string): string {
  return HASH_COMMENT.has(language) ? '#' : '//';
}

export function renderPiece(piece: ContextPiece, language: string): string {
  const label = piece.label ? ` (${piece.label})` : '';
  const body = piece.text.endsWith('\n') ? piece.text : `${piece.text}\n`;
  return `${commentPrefix(language)} ${piece.path}:${piece.startLine}-${piece.endLine}${label}\n${body}`;
}

export interface Packed {
  readonly pieces: readonly ContextPiece[];
  /** Rendered pieces, best first. */
  readonly texts: readonly string[];
  /** Cost in the budget's unit. */
  readonly used: number;
}

/** Greedy best-first packing of `ranked` into `size` units of `budget`. */
export function packPieces(ranked: Iterable<ContextPiece>, budget: Budget, language: string, size = budget.size): Packed {
  const pieces: ContextPiece[] = [];
  const texts: string[] = [];
  let used = 0;
  for (const piece of ranked) {
    const text = renderPiece(piece, language);
    const cost = budgetCost(text, budget);
    if (used + cost > size) continue;
    pieces.push(piece);
    texts.push(text);
    used += cost;
    if (size - used < 8) break;
  }
  return { pieces, texts, used };
}

/** The prompt order: best last, nearest the cursor (the metrics do not depend on the order). */
export function contextText(packed: readonly Packed[]): string {
  return packed.flatMap((p) => [...p.texts].reverse()).join('');
}
