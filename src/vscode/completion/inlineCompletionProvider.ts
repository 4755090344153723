import * as vscode from 'vscode';
import { CancellationError, isCancellationError, raceCancellation } from '../../common/cancellation.ts';
import type { Logger } from '../../common/log.ts';
import type { Config } from '../config.ts';
import { fimContextPrefix } from '../../common/backend/fimContext.ts';
import { EDITOR_PREFIX_CHARS, EDITOR_RETRIEVED_CHUNKS, EDITOR_SUFFIX_CHARS } from '../../common/context/completionWindow.ts';
import { completionContext, cursorWindow, lineCommentFor, retrievalQuery, type CursorWindow } from '../context/completionPrompt.ts';
import { buildRepoContext } from '../context/repoContext.ts';
import type { BackendHost } from '../services/backendHost.ts';
import { describePromptRun, LastRequestStore, previewPrompt } from '../services/lastRequest.ts';
import type { RepoSearch, RetrievedChunk } from '../services/repoSearch.ts';
import type { RecentSnippetTracker } from '../context/recentSnippetTracker.ts';
import type { RankedSnippet } from '../../common/context/recentSnippets.ts';
import { windowPrefix } from '../../common/assemble/anchoredWindow.ts';
import { completionKey, LruCache, TypeAhead } from './completionCache.ts';
import { isBlockStart, isMidWord, shapeCompletion, type CursorShape } from './completionText.ts';
import { AdaptiveDebounce, sleepOnToken } from './debounce.ts';

export interface InlineCompletionDeps {
  readonly config: Config;
  readonly backends: BackendHost;
  readonly search: RepoSearch;
  readonly requests: LastRequestStore;
  readonly log: Logger;
  /** Recently edited and viewed windows, offered next to the retrieved chunks (absent: none). */
  readonly recent?: RecentSnippetTracker;
}

/** Why a request returned what it did; logged for every request (llama.vscode-style reason codes). */
export type CompletionReason =
  | 'OK' | 'CACHE_HIT' | 'TYPE_AHEAD' | 'DISABLED' | 'NO_MODEL' | 'MODEL_UNAVAILABLE' | 'MID_WORD' | 'DEBOUNCE_CANCELLED'
  | 'CANCELLED' | 'EMPTY_COMPLETION' | 'DUPLICATE_OF_SUFFIX' | 'BACKEND_ERROR';

type Outcome = { readonly reason: CompletionReason; readonly text?: string };

/** Shared with `squeeze context` (common/context/completionWindow.ts) so the CLI shows what the editor sends. */
const PREFIX_CHARS = EDITOR_PREFIX_CHARS;
const SUFFIX_CHARS = EDITOR_SUFFIX_CHARS;
const SEARCH_TIMEOUT_MS = 250;
/** Candidates for the novelty packer: it thins them, so more than fit whole (docs/eval.md, 6,000 chars: 8 lose, 24 ≈ 64). */
const RETRIEVED_CHUNKS = EDITOR_RETRIEVED_CHUNKS;

/**
 * Ghost text: waits (debounce on the token), reuses cached or typed-ahead completions, builds a FIM
 * prompt from the cursor window plus retrieved chunks, asks the backend, and shapes the answer. Never
 * throws: every path ends in a reason code in the log and `{ items: [] }` when there is nothing to show.
 */
export class SqueezeInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  private readonly deps: InlineCompletionDeps;
  private readonly cache = new LruCache<string, string>(256);
  private readonly typeAhead = new TypeAhead();
  private readonly debounce = new AdaptiveDebounce();
  private noModelLogged = false;
  /** Where the last cursor window started (0-based line), to keep the next one of that document there. */
  private anchor: { uri: string; line: number } | undefined;
  /** The last request's reason code and duration (status bar tooltip, tests). */
  lastOutcome: { reason: CompletionReason; ms: number } | undefined;
  /** Requests answered since activation, by reason code (the soak test checks every request ended in one). */
  private readonly reasonCounts: Partial<Record<CompletionReason, number>> = {};

  constructor(deps: InlineCompletionDeps) {
    this.deps = deps;
  }

  get averageLatencyMs(): number | undefined {
    return this.debounce.averageLatencyMs;
  }

  get counts(): Readonly<Partial<Record<CompletionReason, number>>> {
    return { ...this.reasonCounts };
  }

  clearCache(): void {
    this.cache.clear();
    this.typeAhead.clear();
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionList> {
    const started = performance.now();
    let outcome: Outcome = { reason: 'CANCELLED' };
    try {
      outcome = await this.complete(document, position, context, token);
    } catch (e) {
      outcome = { reason: isCancellationError(e) ? 'CANCELLED' : 'BACKEND_ERROR' };
      if (outcome.reason === 'BACKEND_ERROR') this.deps.log.warn(`[completion] BACKEND_ERROR ${e instanceof Error ? e.message : String(e)}`);
    }
    const ms = Math.round(performance.now() - started);
    this.lastOutcome = { reason: outcome.reason, ms };
    this.reasonCounts[outcome.reason] = (this.reasonCounts[outcome.reason] ?? 0) + 1;
    this.deps.log.debug(`[completion] ${outcome.reason} ${ms} ms ${document.fileName.split(/[\\/]/).pop() ?? ''}:${position.line + 1}`);
    if (outcome.text === undefined || token.isCancellationRequested) return { items: [] };
    return { items: [new vscode.InlineCompletionItem(outcome.text, new vscode.Range(position, position))] };
  }

  private async complete(doc: vscode.TextDocument, pos: vscode.Position, ctx: vscode.InlineCompletionContext, token: vscode.CancellationToken): Promise<Outcome> {
    const { config } = this.deps;
    if (!config.get('inlineCompletions.enabled')) return { reason: 'DISABLED' };
    if (config.backendKind === 'none') return this.noModel();
    const shape = cursorShape(doc, pos);
    if (isMidWord(shape)) return { reason: 'MID_WORD' };
    const uri = doc.uri.toString();
    const window = documentWindow(doc, pos, this.anchor?.uri === uri ? this.anchor.line : undefined);
    this.anchor = { uri, line: window.startLine - 1 };
    const typed = this.typeAhead.match(window.prefix, window.suffix);
    if (typed !== undefined) return { reason: 'TYPE_AHEAD', text: typed };
    const key = completionKey(window.prefix, window.suffix, `${config.backendKind}:${config.get('backend.model')}:${config.get('models.decoderPath')}`);
    const cached = this.cache.get(key);
    if (cached !== undefined) return { reason: 'CACHE_HIT', text: cached };
    if (ctx.triggerKind === vscode.InlineCompletionTriggerKind.Automatic && !(await sleepOnToken(this.debounce.delay(config.debounceMs), token))) {
      return { reason: 'DEBOUNCE_CANCELLED' };
    }
    const backend = await this.deps.backends.get();
    if (!backend) return { reason: 'MODEL_UNAVAILABLE' };
    if (token.isCancellationRequested) return { reason: 'CANCELLED' };
    const prefix = await this.promptPrefix(doc, window, token);
    const record = { report: prefix.report, backend: describe(this.deps.backends), promptPreview: previewPrompt(`${prefix.text}<CURSOR>${window.suffix}`), promptChars: prefix.text.length + window.suffix.length };
    this.deps.requests.set(record);
    const multiline = isBlockStart(shape);
    const started = performance.now();
    const maxTokens = Math.max(1, config.get('inlineCompletions.maxTokens'));
    const options = { maxTokens, temperature: 0, stop: multiline ? ['\n\n\n'] : ['\n'] };
    const result = await backend.complete({ kind: 'fim', prefix: prefix.text, suffix: window.suffix, context: prefix.context, options }, token);
    const latency = performance.now() - started;
    this.debounce.record(latency);
    const shaped = shapeCompletion(result.text, shape);
    const said = 'text' in shaped ? `completion of ${shaped.text.length} characters` : shaped.reason;
    this.deps.requests.finish(record, result.prompt ? `${said}; ${describePromptRun(result.prompt)}` : said, latency, result.prompt);
    if (!('text' in shaped)) return { reason: shaped.reason };
    this.cache.set(key, shaped.text);
    this.typeAhead.remember(window.prefix, window.suffix, shaped.text);
    return { reason: 'OK', text: shaped.text };
  }

  /** The FIM prefix with retrieved context; retrieval that takes too long is skipped, not waited for. */
  private async promptPrefix(doc: vscode.TextDocument, window: CursorWindow, token: vscode.CancellationToken) {
    const { config } = this.deps;
    const path = vscode.workspace.asRelativePath(doc.uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1);
    const query = retrievalQuery(window.prefix, window.suffix);
    const timeout = new vscode.CancellationTokenSource();
    const link = token.onCancellationRequested(() => timeout.cancel());
    const timer = setTimeout(() => timeout.cancel(), SEARCH_TIMEOUT_MS);
    let note: string | undefined;
    let hits: Awaited<ReturnType<RepoSearch['search']>>['hits'] = [];
    try {
      const found = await raceCancellation(this.deps.search.search(query, RETRIEVED_CHUNKS, timeout.token), timeout.token);
      hits = found.hits;
      note = found.note;
    } catch (e) {
      if (token.isCancellationRequested) throw new CancellationError();
      note = isCancellationError(e) ? `retrieval skipped: slower than ${SEARCH_TIMEOUT_MS} ms` : `retrieval failed: ${String(e)}`;
    } finally {
      clearTimeout(timer);
      link.dispose();
      timeout.dispose();
    }
    const exclude = { path, startLine: window.startLine, endLine: window.endLine };
    const recent = this.deps.recent?.rank(query, exclude, config.get('inlineCompletions.recentSnippets')) ?? [];
    hits = [...hits, ...recent.filter((r) => !hits.some((h) => sameLines(h, r))).map(recentHit)];
    const commentPrefix = lineCommentFor(doc.languageId);
    const built = buildRepoContext(hits, { surface: 'completion', query, budgetChars: config.get('inlineCompletions.contextChars'), style: 'comment', commentPrefix, exclude, prefix: window.prefix, suffix: window.suffix, ...(note ? { note } : {}) });
    const context = completionContext(built.text, built.report.items, path, doc.languageId, window.prefix);
    return { text: fimContextPrefix(context), context, report: built.report };
  }

  private noModel(): Outcome {
    if (!this.noModelLogged) this.deps.log.info('[completion] NO_MODEL: set squeeze.backend.kind to "http" or "onnx" to get completions');
    this.noModelLogged = true;
    return { reason: 'NO_MODEL' };
  }
}

/**
 * The cursor window, read from the lines around the cursor only (never the whole document). With `anchorLine` (the
 * 0-based line the last window of this document started at) the window keeps starting there while it fits
 * (`windowPrefix`: re-cut with slack when it does not), so the prompt's tokens up to the cursor stay the same while
 * the user types and the local decoder's prefix cache keeps them.
 */
function documentWindow(doc: vscode.TextDocument, pos: vscode.Position, anchorLine?: number): CursorWindow {
  const offset = doc.offsetAt(pos);
  const firstLine = doc.positionAt(Math.max(0, offset - PREFIX_CHARS)).line;
  const anchor = anchorLine !== undefined && anchorLine <= pos.line ? anchorLine : undefined;
  const start = new vscode.Position(firstLine, 0);
  const text = doc.getText(new vscode.Range(start, doc.positionAt(offset + SUFFIX_CHARS)));
  const local = offset - doc.offsetAt(start);
  const w = cursorWindow(text, local, PREFIX_CHARS, SUFFIX_CHARS);
  const fresh = { ...w, startLine: w.startLine + firstLine, endLine: w.endLine + firstLine };
  if (anchor === undefined) return fresh;
  const fitted = windowPrefix({ prefix: text.slice(0, local), startLine: firstLine + 1, anchorLine: anchor + 1 }, PREFIX_CHARS, (t) => t.length);
  return { ...fresh, prefix: fitted.text, startLine: firstLine + 1 + fitted.cut };
}

function cursorShape(doc: vscode.TextDocument, pos: vscode.Position): CursorShape {
  const line = doc.lineAt(pos.line).text;
  let previousLine = '';
  for (let l = pos.line - 1; l >= 0 && l >= pos.line - 20; l--) {
    const t = doc.lineAt(l).text;
    if (t.trim() !== '') {
      previousLine = t;
      break;
    }
  }
  const nextLines: string[] = [];
  for (let l = pos.line + 1; l < doc.lineCount && nextLines.length < 5; l++) nextLines.push(doc.lineAt(l).text);
  return { linePrefix: line.slice(0, pos.character), lineSuffix: line.slice(pos.character), previousLine, nextLines };
}

/** A recent window that overlaps a retrieved chunk adds nothing: the index's chunk is whole. */
function sameLines(h: RetrievedChunk, r: RankedSnippet): boolean {
  return h.path === r.snippet.path && h.startLine <= r.snippet.endLine && r.snippet.startLine <= h.endLine;
}

function recentHit(r: RankedSnippet): RetrievedChunk {
  const s = r.snippet;
  return { path: s.path, language: s.language, startLine: s.startLine, endLine: s.endLine, text: s.text, score: r.score, symbolPath: ['recently edited'], signatures: [] };
}

function describe(backends: BackendHost): string {
  const i = backends.info;
  return [i.kind, i.model, i.provider].filter(Boolean).join(' ');
}
