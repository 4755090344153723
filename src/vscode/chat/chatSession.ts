import * as vscode from 'vscode';
import { isCancellationError } from '../../common/cancellation.ts';
import type { Logger } from '../../common/log.ts';
import type { ChatTurn, HostMessage, TurnStatus } from '../../common/protocol/chatProtocol.ts';
import { findCitations, uniqueCitations } from '../../common/protocol/citations.ts';
import type { Config } from '../config.ts';
import { buildChatMessages } from '../context/chatPrompt.ts';
import { buildRepoContext } from '../context/repoContext.ts';
import type { BackendHost } from '../services/backendHost.ts';
import { previewPrompt, type LastRequestStore } from '../services/lastRequest.ts';
import type { RepoSearch } from '../services/repoSearch.ts';
import type { CitationResolver } from './citationResolver.ts';

export interface ChatSessionDeps {
  readonly config: Config;
  readonly backends: BackendHost;
  readonly search: RepoSearch;
  readonly requests: LastRequestStore;
  readonly citations: CitationResolver;
  readonly log: Logger;
}

const RETRIEVED_CHUNKS = 24;
export const NO_MODEL_MESSAGE = 'No model is configured. Run "Squeeze: Switch Backend" to use an OpenAI-compatible server or a local ONNX model folder.';

/**
 * The conversation behind the chat view and "Ask about this repository": one turn at a time, streamed.
 * The host owns the conversation; the view renders what this posts and can reconnect at any time.
 */
export class ChatSession implements vscode.Disposable {
  private readonly deps: ChatSessionDeps;
  private readonly emitter = new vscode.EventEmitter<HostMessage>();
  private turns: ChatTurn[] = [];
  private running: { readonly id: string; readonly source: vscode.CancellationTokenSource } | undefined;
  private counter = 0;
  readonly onDidPost = this.emitter.event;

  constructor(deps: ChatSessionDeps) {
    this.deps = deps;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get conversation(): readonly ChatTurn[] {
    return this.turns;
  }

  snapshot(): HostMessage {
    return { type: 'sync', turns: this.turns, busy: this.busy };
  }

  /** Asks a question; resolves with the finished turn (done, stopped or error). Never rejects. */
  async ask(question: string, token?: vscode.CancellationToken): Promise<ChatTurn> {
    this.stop();
    const source = new vscode.CancellationTokenSource();
    const link = token?.onCancellationRequested(() => source.cancel());
    const id = `t${Date.now().toString(36)}${(this.counter++).toString(36)}`;
    this.running = { id, source };
    const history = this.turns.filter((t) => t.status === 'done').map((t) => ({ question: t.question, answer: t.answer }));
    this.update({ id, question, answer: '', status: 'streaming', citations: [] });
    this.post({ type: 'turnStarted', turn: this.find(id) });
    try {
      await this.answer(id, question, history, source.token);
      return await this.end(id, 'done');
    } catch (e) {
      if (isCancellationError(e) || source.token.isCancellationRequested) return await this.end(id, 'stopped');
      this.deps.log.error('[chat] answer failed', e);
      return await this.end(id, 'error', e instanceof Error ? e.message : String(e));
    } finally {
      link?.dispose();
      source.dispose();
      if (this.running?.id === id) this.running = undefined;
    }
  }

  stop(): void {
    this.running?.source.cancel();
  }

  clear(): void {
    this.stop();
    this.turns = [];
    this.post(this.snapshot());
  }

  dispose(): void {
    this.stop();
    this.emitter.dispose();
  }

  private async answer(id: string, question: string, history: { question: string; answer: string }[], token: vscode.CancellationToken): Promise<void> {
    const backend = await this.deps.backends.get();
    if (!backend) throw new Error(this.deps.backends.info.detail ?? NO_MODEL_MESSAGE);
    const found = await this.deps.search.search(question, RETRIEVED_CHUNKS, token);
    const budgetChars = Math.max(500, this.deps.config.get('context.budgetChars'));
    const built = buildRepoContext(found.hits, { surface: 'chat', query: question, budgetChars, style: 'markdown', ...(found.note ? { note: found.note } : {}) });
    this.update({ ...this.find(id), context: built.report });
    this.post({ type: 'turnContext', id, context: built.report });
    const messages = buildChatMessages(history, built.text, question);
    const prompt = messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
    const record = { report: built.report, backend: [this.deps.backends.info.kind, this.deps.backends.info.model].filter(Boolean).join(' '), promptPreview: previewPrompt(prompt), promptChars: prompt.length };
    this.deps.requests.set(record);
    const started = performance.now();
    const onText = (text: string): void => {
      const turn = this.find(id);
      this.update({ ...turn, answer: turn.answer + text });
      this.post({ type: 'turnDelta', id, text, done: false });
    };
    try {
      await backend.stream({ kind: 'chat', messages, options: { maxTokens: this.deps.config.get('chat.maxTokens'), temperature: 0.2 } }, { onText, token });
      this.deps.requests.finish(record, `answer of ${this.find(id).answer.length} characters`, performance.now() - started);
    } catch (e) {
      this.deps.requests.finish(record, isCancellationError(e) ? 'stopped' : 'failed', performance.now() - started);
      throw e;
    }
  }

  private async end(id: string, status: TurnStatus, error?: string): Promise<ChatTurn> {
    const turn = this.turns.find((t) => t.id === id);
    if (!turn) return { id, question: '', answer: '', status: 'stopped', citations: [] }; // cleared meanwhile
    const citations = await this.deps.citations.filter(uniqueCitations(findCitations(turn.answer)));
    const done: ChatTurn = { ...turn, status, citations, ...(error ? { error } : {}) };
    this.update(done);
    this.post({ type: 'turnEnded', id, status, citations, done: true, ...(error ? { error } : {}) });
    return done;
  }

  private find(id: string): ChatTurn {
    const t = this.turns.find((x) => x.id === id);
    if (!t) throw new Error(`no turn ${id}`);
    return t;
  }

  private update(turn: ChatTurn): void {
    const i = this.turns.findIndex((t) => t.id === turn.id);
    if (i >= 0) this.turns[i] = turn;
    else this.turns.push(turn);
  }

  private post(m: HostMessage): void {
    this.emitter.fire(m);
  }
}
