/**
 * The context of an inline completion at a cursor, end to end: read the file, build the query, retrieve
 * chunks, assemble the prompt within the budget, tokenize every segment and assign position ids.
 * Model compute is not part of it; a tokenizer is optional (without one, token counts are estimates).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { assemblePrompt, segmentTokens } from '../../common/assemble/assemble.ts';
import type { AssembleResult, Segment } from '../../common/assemble/assembleTypes.ts';
import { cursorQuery, splitAtLineColumn } from '../../common/assemble/cursorQuery.ts';
import { languageForPath } from '../../common/chunk/languages.ts';
import { estimateTokens } from '../../common/chunk/estimateTokens.ts';
import type { ScoredChunk } from '../../common/compress/compressTypes.ts';
import type { FimStyle } from '../../common/generate/fimStyles.ts';
import { assignPositions } from '../../common/positions/assignPositions.ts';
import type { PositionPlan, PositionPolicy, TokenSegment } from '../../common/positions/positionTypes.ts';

/** What counting and position ids need from a tokenizer (ModelTokenizer has both; CachedTokenizer adds a cached `count`). */
export interface SegmentTokenizer {
  encode(text: string): number[];
  tokenId(token: string): number | undefined;
  count?(text: string): number;
}

export interface CursorContextRequest {
  readonly root: string;
  /** Relative to `root`, or absolute. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly budget: number;
  readonly contextLength: number;
  readonly search: (query: string, k: number) => Promise<readonly ScoredChunk[]>;
  readonly k?: number;
  readonly policy?: PositionPolicy | 'auto';
  readonly reserve?: number;
  readonly tokenizer?: SegmentTokenizer;
  readonly fim?: FimStyle;
  /** Most of the budget the cursor window may take (assembler default 0.5). */
  readonly windowShare?: number;
  /** `auto` policy: take `parallel` whenever it fits (a chunk KV cache is warm). */
  readonly preferParallel?: boolean;
  /** The 1-based line the previous window of this file started at (`windowStartLine` of the last context). */
  readonly anchorLine?: number;
}

export interface CursorContext {
  readonly path: string;
  readonly query: string;
  readonly assembled: AssembleResult;
  /** Token ids per segment (placeholder zeros when no tokenizer was given). */
  readonly tokens: readonly TokenSegment[];
  readonly plan: PositionPlan;
  readonly estimated: boolean;
  /** First line of the current-file window (pass it back as `anchorLine`), undefined when there is none. */
  readonly windowStartLine: number | undefined;
}

export function segmentIds(segments: readonly Segment[], tokenizer: SegmentTokenizer | undefined): TokenSegment[] {
  return segments.map((s) => {
    if (!tokenizer) return { kind: s.kind, ids: new Array<number>(segmentTokens(s, estimateTokens)).fill(0) };
    if (s.kind !== 'marker') return { kind: s.kind, ids: tokenizer.encode(s.text) };
    const id = tokenizer.tokenId(s.text);
    if (id === undefined) throw new Error(`the tokenizer has no token ${JSON.stringify(s.text)}`);
    return { kind: s.kind, ids: [id] };
  });
}

export async function buildCursorContext(req: CursorContextRequest): Promise<CursorContext> {
  const abs = path.resolve(req.root, req.file);
  const rel = path.relative(req.root, abs).split(path.sep).join('/');
  const text = await fs.readFile(abs, 'utf8');
  return cursorContextOfText(rel, text, req);
}

/** The same for a file's current text (an editor buffer): `rel` is its path relative to the root. */
export async function cursorContextOfText(rel: string, text: string, req: Omit<CursorContextRequest, 'root' | 'file'>): Promise<CursorContext> {
  const { prefix, suffix } = splitAtLineColumn(text, req.line, req.column);
  const query = cursorQuery(prefix, suffix);
  const candidates = query ? await req.search(query, req.k ?? 24) : [];
  const tokenizer = req.tokenizer;
  const assembled = assemblePrompt({
    mode: 'completion', budget: req.budget, candidates,
    cursor: { path: rel, language: languageForPath(rel), prefix, suffix, startLine: 1, ...(req.anchorLine !== undefined ? { anchorLine: req.anchorLine } : {}) },
    ...(tokenizer ? { countTokens: (s: string) => (tokenizer.count ? tokenizer.count(s) : tokenizer.encode(s).length) } : {}),
    ...(req.fim ? { fim: req.fim } : {}),
    ...(req.windowShare !== undefined ? { windowShare: req.windowShare } : {}),
  });
  const tokens = segmentIds(assembled.segments, tokenizer);
  const plan = assignPositions(tokens, {
    contextLength: req.contextLength, reserve: req.reserve ?? 0, policy: req.policy ?? 'auto', ...(req.preferParallel ? { preferParallel: true } : {}),
  });
  const windowStartLine = assembled.segments.find((s) => s.kind === 'current-file')?.source?.startLine;
  return { path: rel, query, assembled, tokens, plan, estimated: tokenizer === undefined, windowStartLine };
}
