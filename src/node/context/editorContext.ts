/**
 * The context of an inline completion exactly as the editor builds it (inlineCompletionProvider.ts): the
 * editor's cursor window, its retrieval query, the novelty packer of `buildRetrievedContext` within the
 * editor's character budget, and `completionPrefix`; then the prompt split into segments (retrieved pieces,
 * the file's window, FIM markers and suffix) with token ids (`fimSegments`) and position ids (`auto`), as the
 * local backend places it. With `refine`, the candidates are first re-ranked by estimated attention mass and thinned of
 * their lowest-mass lines (attentionRefine.ts). The segments are cut from the editor's own text and checked
 * to join back into it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SegmentSource } from '../../common/assemble/assembleTypes.ts';
import { lineCommentFor } from '../../common/assemble/commentSyntax.ts';
import { splitContext } from '../../common/assemble/contextPieces.ts';
import { completionPrefix } from '../../common/assemble/completionPrefix.ts';
import { cursorQuery, splitAtLineColumn } from '../../common/assemble/cursorQuery.ts';
import { buildRetrievedContext } from '../../common/assemble/retrievedContext.ts';
import { chunkId } from '../../common/chunk/chunk.ts';
import { languageForPath } from '../../common/chunk/languages.ts';
import { overlaps } from '../../common/compress/compress.ts';
import type { LineRange, ScoredChunk } from '../../common/compress/compressTypes.ts';
import { massThinnedChunk } from '../../common/compress/massThinning.ts';
import { completionWindow, EDITOR_CONTEXT_CHARS, EDITOR_RETRIEVED_CHUNKS, type CompletionWindow } from '../../common/context/completionWindow.ts';
import { estimateTokens } from '../../common/chunk/estimateTokens.ts';
import { fimSegments } from '../../common/generate/fimSegments.ts';
import type { FimStyle } from '../../common/generate/fimStyles.ts';
import { assignPositions } from '../../common/positions/assignPositions.ts';
import type { PositionPlan, TokenSegment } from '../../common/positions/positionTypes.ts';
import type { ContextItem } from '../../common/protocol/contextReport.ts';
import type { AttentionRefinement } from './attentionRefine.ts';
import type { SegmentTokenizer } from './cursorContext.ts';

export interface EditorContextRequest {
  readonly line: number;
  readonly column: number;
  readonly contextLength: number;
  readonly search: (query: string, k: number) => Promise<readonly ScoredChunk[]>;
  /** Chunks retrieved (default 24, as the editor). */
  readonly k?: number;
  /** The editor's `squeeze.inlineCompletions.contextChars` (default 2000). */
  readonly contextChars?: number;
  readonly tokenizer?: SegmentTokenizer;
  readonly fim?: FimStyle;
  /** Attention-space refinement of the retrieved candidates (given the text before the cursor). */
  readonly refine?: (candidates: readonly ScoredChunk[], windowPrefix: string) => Promise<AttentionRefinement>;
  /** Share of a chunk's estimated mass its lowest-mass lines may take away (default 0.1). */
  readonly dropMassShare?: number;
  /** The model's BOS id, when its prompts start with one (ModelTokenizer.bosId). */
  readonly bosId?: number;
  /** Positions as the local backend assigns them: `auto`, preferring `parallel` when its chunk cache is usable. */
  readonly chunkCacheWarm?: boolean;
  /** Tokens to be generated (the backend reserves maxTokens + 1). */
  readonly reserve?: number;
}

export interface EditorSegment {
  /** fimSegments.ts kinds: marker, lead, chunk, current-file, suffix. */
  readonly kind: string;
  readonly text: string;
  readonly source?: SegmentSource;
  readonly score?: number;
}

export interface EditorContext {
  readonly path: string;
  readonly query: string;
  readonly window: CompletionWindow;
  readonly contextChars: number;
  /** What the packer got, in its order, and the retrieved candidate each one is (index into `retrieved`). */
  readonly retrieved: readonly ScoredChunk[];
  readonly packed: readonly ScoredChunk[];
  readonly origin: readonly number[];
  /** Row of `refinement.rows` of each packed candidate (undefined: not probed, inside the cursor window). */
  readonly rowOf: readonly (number | undefined)[];
  /** Lines each packed candidate lost to attention-mass thinning (0 without refinement). */
  readonly massDroppedLines: readonly number[];
  /** The editor's report: one item per candidate the packer decided on, in its order. */
  readonly items: readonly ContextItem[];
  /** Index into `packed` of each item (-1 when it matches no candidate). */
  readonly itemOf: readonly number[];
  readonly usedChars: number;
  /** The FIM prefix and suffix the editor sends. */
  readonly prefix: string;
  readonly suffix: string;
  readonly segments: readonly EditorSegment[];
  readonly tokens: readonly TokenSegment[];
  readonly plan: PositionPlan;
  readonly estimated: boolean;
  readonly refinement?: AttentionRefinement;
}

/**
 * With `refine`: candidates mostly inside the cursor window (the packer drops them) are not probed; the rest
 * are re-ranked by blended score and thinned of their lowest-mass lines, the window ones follow unchanged.
 */
async function packerInput(retrieved: readonly ScoredChunk[], window: CompletionWindow, exclude: LineRange, req: EditorContextRequest) {
  const all = retrieved.map((_, i) => i);
  if (!req.refine || retrieved.length === 0) return { packed: retrieved, origin: all, rowOf: all.map(() => undefined), dropped: all.map(() => 0) };
  const probed = all.filter((i) => !overlaps(retrieved[i]!, [exclude]));
  const inWindow = all.filter((i) => overlaps(retrieved[i]!, [exclude]));
  const refinement = await req.refine(probed.map((i) => retrieved[i]!), window.prefix);
  const rows = refinement.rows.slice().sort((a, b) => a.rankAfter - b.rankAfter).map((r) => r.index);
  const thinned = refinement.candidates.map((c) => massThinnedChunk(c, req.dropMassShare ?? 0.1));
  return {
    packed: [...refinement.candidates.map((c, i) => ({ chunk: thinned[i]!.chunk, score: c.score })), ...inWindow.map((i) => retrieved[i]!)],
    origin: [...rows.map((r) => probed[r]!), ...inWindow],
    rowOf: [...rows, ...inWindow.map(() => undefined)],
    dropped: [...thinned.map((t) => t.droppedLines), ...inWindow.map(() => 0)],
    refinement,
  };
}

/** The editor's context block cut back into its pieces (`splitContext`, as the editor does for the local backend). */
function pieceSegments(text: string, items: readonly ContextItem[], itemOf: readonly number[], packed: readonly ScoredChunk[]): EditorSegment[] {
  const split = splitContext(text, items);
  if (!split) throw new Error('the editor\'s context does not cut back into its kept items');
  return split.map(({ item, text: t }) => ({
    kind: 'chunk', text: t, source: { path: item.path, startLine: item.startLine, endLine: item.endLine }, score: packed[itemOf[items.indexOf(item)]!]?.score ?? 0,
  }));
}

/** The local backend's FIM layout (fimSegments.ts), with the sources the report needs; empty texts are left out as it does. */
function promptSegments(rel: string, window: CompletionWindow, pieces: readonly EditorSegment[], fim: FimStyle | undefined, bosId: number | undefined): EditorSegment[] {
  const c = lineCommentFor(languageForPath(rel));
  const cursorLine = window.startLine + window.prefix.split('\n').length - 1;
  const lead = fim?.prefixLead ?? '';
  const alone = pieces.length === 0;
  const local: EditorSegment = { kind: 'current-file', text: `${alone ? lead : ''}${c} File: ${rel}\n${window.prefix}`, source: { path: rel, startLine: window.startLine, endLine: cursorLine } };
  const body = [...(alone ? [] : [{ kind: 'lead', text: `${lead}${c} Related code from the repository:\n` }, ...pieces]), local];
  const bos = bosId !== undefined ? [{ kind: 'marker', text: '<bos>' }] : [];
  if (!fim) return [...bos, ...body];
  return [
    ...bos, { kind: 'marker', text: fim.prefix }, ...body, { kind: 'marker', text: fim.suffix },
    ...(window.suffix ? [{ kind: 'suffix', text: window.suffix }] : []), { kind: 'marker', text: fim.middle },
  ];
}

/** Token ids as the local backend makes them (`fimSegments`), or placeholder zeros of estimated length. */
function promptTokens(segments: readonly EditorSegment[], window: CompletionWindow, fim: FimStyle | undefined, req: EditorContextRequest): TokenSegment[] {
  if (!req.tokenizer) return segments.map((s) => ({ kind: s.kind, ids: new Array<number>(s.kind === 'marker' ? 1 : estimateTokens(s.text)).fill(0) }));
  const text = segments.filter((s) => s.kind !== 'marker' && s.kind !== 'suffix');
  const lead = text.find((s) => s.kind === 'lead');
  const context = lead
    ? { lead: lead.text.slice((fim?.prefixLead ?? '').length), pieces: text.filter((s) => s.kind === 'chunk').map((s) => ({ key: '', text: s.text })), local: text.at(-1)!.text }
    : { lead: '', pieces: [], local: text.at(-1)!.text.slice((fim?.prefixLead ?? '').length) };
  const tokens = fimSegments({ context, suffix: window.suffix, style: fim, bosId: req.bosId }, req.tokenizer);
  if (tokens.map((t) => t.kind).join() !== segments.map((s) => s.kind).join()) throw new Error('the CLI segments differ from the local backend\'s FIM segments');
  return tokens;
}

/** The editor's completion context for a file's current text; `rel` is its path relative to the root. */
export async function editorContextOfText(rel: string, text: string, req: EditorContextRequest): Promise<EditorContext> {
  const { offset } = splitAtLineColumn(text, req.line, req.column);
  const window = completionWindow(text, offset);
  const query = cursorQuery(window.prefix, window.suffix);
  const retrieved = query ? await req.search(query, req.k ?? EDITOR_RETRIEVED_CHUNKS) : [];
  const exclude = { path: rel, startLine: window.startLine, endLine: window.endLine };
  const { packed, origin, rowOf, dropped, refinement } = await packerInput(retrieved, window, exclude, req);
  const contextChars = req.contextChars ?? EDITOR_CONTEXT_CHARS;
  const built = buildRetrievedContext(packed, { surface: 'completion', query, budgetChars: contextChars, style: 'comment', exclude, prefix: window.prefix, suffix: window.suffix, createdAt: 0 });
  const ids = packed.map((c) => chunkId(c.chunk));
  const items = built.report.items;
  const itemOf = items.map((it) => ids.indexOf(chunkId(it)));
  const prefix = completionPrefix(built.text, rel, languageForPath(rel), window.prefix);
  const segments = promptSegments(rel, window, pieceSegments(built.text, items, itemOf, packed), req.fim, req.bosId);
  const joined = segments.filter((s) => s.kind !== 'marker' && s.kind !== 'suffix').map((s) => s.text).join('');
  if (joined !== (req.fim?.prefixLead ?? '') + prefix) throw new Error('the CLI segments differ from the editor\'s completion prefix');
  const tokens = promptTokens(segments, window, req.fim, req);
  const plan = assignPositions(tokens, { contextLength: req.contextLength, policy: 'auto', preferParallel: req.chunkCacheWarm ?? false, reserve: req.reserve ?? 0 });
  return {
    path: rel, query, window, contextChars, retrieved, packed, origin, rowOf, massDroppedLines: dropped, items, itemOf, usedChars: built.report.usedChars,
    prefix, suffix: window.suffix, segments, tokens, plan, estimated: req.tokenizer === undefined, ...(refinement ? { refinement } : {}),
  };
}

export async function buildEditorContext(root: string, file: string, req: EditorContextRequest): Promise<EditorContext> {
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs).split(path.sep).join('/');
  return editorContextOfText(rel, await fs.readFile(abs, 'utf8'), req);
}
