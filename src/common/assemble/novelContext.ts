/**
 * Retrieved chunks for a code-completion prompt: best score first, each thinned to the lines the prompt
 * does not show yet (`packNovel`), packed into a token budget; one `CompressDecision` per candidate (in
 * input order) for the context report. Duplicates, chunks mostly inside the cursor window and chunks
 * without a positive score are dropped first, as `compressContext` does.
 */
import { chunkId } from '../chunk/chunk.ts';
import { overlaps } from '../compress/compress.ts';
import type { CompressDecision, LineRange, PieceFormatter, ScoredChunk, TokenCounter } from '../compress/compressTypes.ts';
import { sourceOf } from '../compress/levelOptions.ts';
import type { CancellationToken } from '../cancellation.ts';
import { packNovel, type NovelOutcome } from './packNovel.ts';
import type { NoveltyOptions } from './novelLines.ts';

export interface NovelContextOptions extends NoveltyOptions {
  /** The prompt's text before the cursor. */
  readonly prefix: string;
  /** Tokens for all pieces together, counted by `countTokens` on each rendered piece. */
  readonly budget: number;
  readonly countTokens: TokenCounter;
  readonly formatPiece: PieceFormatter;
  readonly exclude?: readonly LineRange[];
  readonly token?: CancellationToken;
}

export interface NovelContext {
  /** Rendered pieces, best first. */
  readonly texts: readonly string[];
  readonly decisions: readonly CompressDecision[];
  readonly usedTokens: number;
}

interface Ranked {
  readonly index: number;
  readonly candidate: ScoredChunk;
}

function preDropReason(c: ScoredChunk, seen: Set<string>, exclude: readonly LineRange[]): string | undefined {
  const id = chunkId(c.chunk);
  if (seen.has(id)) return 'duplicate of an earlier candidate';
  seen.add(id);
  if (overlaps(c, exclude)) return 'already in the cursor window';
  return Number.isFinite(c.score) && c.score > 0 ? undefined : 'no score';
}

function decision(c: ScoredChunk, fullTokens: number, fields: Pick<CompressDecision, 'level' | 'tokens' | 'reason' | 'droppedLines' | 'chars'>): CompressDecision {
  const { path, startLine, endLine, symbolPath } = c.chunk;
  return { path, startLine, endLine, symbolPath, score: c.score, fullTokens, ...fields };
}

function outcomeDecision(out: NovelOutcome<Ranked>, fullTokens: number): CompressDecision {
  const c = out.item.candidate;
  if (!out.kept) {
    const reason = out.reason === 'nothing new' ? 'nothing new: its lines are in the prompt already or name nothing new' : 'over budget';
    return decision(c, fullTokens, { level: 'dropped', tokens: 0, reason, droppedLines: 0, chars: 0 });
  }
  const reason = out.droppedLines > 0 ? 'fits the budget, thinned to what the prompt does not show yet' : 'fits the budget';
  return decision(c, fullTokens, { level: 'full', tokens: out.cost, reason, droppedLines: out.droppedLines, chars: out.rendered.length });
}

export function novelContext(candidates: readonly ScoredChunk[], o: NovelContextOptions): NovelContext {
  const fullTokens = (c: ScoredChunk): number => o.countTokens(o.formatPiece(sourceOf(c), c.chunk.text));
  const decisions: (CompressDecision | undefined)[] = candidates.map(() => undefined);
  const seen = new Set<string>();
  const ranked: Ranked[] = [];
  candidates.forEach((candidate, index) => {
    const reason = preDropReason(candidate, seen, o.exclude ?? []);
    if (reason) decisions[index] = decision(candidate, fullTokens(candidate), { level: 'dropped', tokens: 0, reason, droppedLines: 0, chars: 0 });
    else ranked.push({ index, candidate });
  });
  ranked.sort((a, b) => b.candidate.score - a.candidate.score || a.index - b.index);
  const packed = packNovel(ranked, {
    ...o, cost: o.countTokens,
    text: (r) => r.candidate.chunk.text,
    language: (r) => r.candidate.chunk.language,
    render: (r, body) => o.formatPiece(sourceOf(r.candidate), body),
  });
  const texts: string[] = [];
  for (const out of packed.outcomes) {
    decisions[out.item.index] = outcomeDecision(out, fullTokens(out.item.candidate));
    if (out.kept) texts.push(out.rendered);
  }
  return { texts, decisions: decisions.filter((d) => d !== undefined), usedTokens: packed.used };
}
