/**
 * `ours`'s packing: the product's novelty packer (`common/assemble/packNovel.ts`, the one the editor's
 * completion context uses) over ranked pieces, with the eval's piece rendering and budget accounting, so
 * it is compared with the baselines at the same budget and header format.
 */
import { packNovel } from '../assemble/packNovel.ts';
import { budgetCost, renderPiece, type Budget, type ContextPiece, type Packed } from './packing.ts';

/** `shown`: text the prompt holds before the cursor besides the prefix (another band), placed before it. */
export function packNovelPieces(ranked: readonly ContextPiece[], prefix: string, language: string, budget: Budget, size = budget.size, shown = ''): Packed {
  const packed = packNovel(ranked, {
    prefix: shown ? `${shown}\n${prefix}` : prefix,
    budget: size,
    cost: (text) => budgetCost(text, budget),
    text: (p) => p.text,
    language: () => language,
    render: (p, body) => renderPiece({ ...p, text: body }, language),
  });
  const pieces: ContextPiece[] = [];
  const texts: string[] = [];
  for (const out of packed.outcomes) {
    if (!out.kept) continue;
    pieces.push({ ...out.item, text: out.body });
    texts.push(out.rendered);
  }
  return { pieces, texts, used: packed.used };
}
