/**
 * The typed message protocol between the chat view (webview) and the extension host. Each side has a
 * map of message name to payload; a turn's `id` correlates its stream: `turnStarted`, then any number of
 * `turnDelta` (`done: false`), then one `turnEnded` (`done: true`).
 */
import type { Citation } from './citations.ts';
import type { ContextReport } from './contextReport.ts';

/** A message without payload. */
type Empty = Record<never, never>;

export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'error';

export interface ChatTurn {
  readonly id: string;
  readonly question: string;
  readonly answer: string;
  readonly status: TurnStatus;
  readonly error?: string;
  readonly context?: ContextReport;
  /** Citations of the answer that point into the workspace (validated by the host). */
  readonly citations: readonly Citation[];
}

/** Host → webview. */
export interface HostMessageMap {
  /** The whole conversation: sent when the view (re)connects and after "new conversation". */
  sync: { readonly turns: readonly ChatTurn[]; readonly busy: boolean };
  turnStarted: { readonly turn: ChatTurn };
  turnContext: { readonly id: string; readonly context: ContextReport };
  turnDelta: { readonly id: string; readonly text: string; readonly done: false };
  turnEnded: { readonly id: string; readonly status: TurnStatus; readonly error?: string; readonly citations: readonly Citation[]; readonly done: true };
  focusInput: Empty;
}

/** Webview → host. */
export interface WebviewMessageMap {
  ready: Empty;
  ask: { readonly text: string };
  stop: Empty;
  newConversation: Empty;
  openCitation: { readonly citation: Citation };
  copyCode: { readonly code: string };
  insertCode: { readonly code: string };
  /** The view finished rendering a turn (used by the status of the view and by tests). */
  rendered: { readonly id: string; readonly citations: number; readonly codeBlocks: number; readonly contextItems: number; readonly unsafeNodes: number };
}

type Tagged<M> = { [K in keyof M]: { readonly type: K } & M[K] }[keyof M];
export type HostMessage = Tagged<HostMessageMap>;
export type WebviewMessage = Tagged<WebviewMessageMap>;

const MAX_TEXT = 200_000;

function isStr(v: unknown, max = MAX_TEXT): v is string {
  return typeof v === 'string' && v.length <= max;
}

function isCitation(v: unknown): v is Citation {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return isStr(c.path, 1000) && Number.isInteger(c.line) && (c.endLine === undefined || Number.isInteger(c.endLine));
}

const WEBVIEW_CHECKS: { [K in keyof WebviewMessageMap]: (m: Record<string, unknown>) => boolean } = {
  ready: () => true,
  ask: (m) => isStr(m.text, 20_000),
  stop: () => true,
  newConversation: () => true,
  openCitation: (m) => isCitation(m.citation),
  copyCode: (m) => isStr(m.code),
  insertCode: (m) => isStr(m.code),
  rendered: (m) => isStr(m.id, 100) && [m.citations, m.codeBlocks, m.contextItems, m.unsafeNodes].every((n) => Number.isInteger(n)),
};

/** The host trusts nothing the webview sends: unknown or malformed messages are rejected. */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  const type = m.type;
  if (typeof type !== 'string' || !Object.hasOwn(WEBVIEW_CHECKS, type)) return false;
  return WEBVIEW_CHECKS[type as keyof WebviewMessageMap](m);
}
