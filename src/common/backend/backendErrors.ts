/**
 * Typed errors of the HTTP backend. Each code has one user-facing message that says what happened and
 * what to do next. Messages never contain the API key: they are built only from the fields below.
 */
export const BACKEND_ERROR_CODES = [
  'INVALID_ENDPOINT',
  'CONNECTION_REFUSED',
  'DNS_FAILURE',
  'CONNECTION_RESET',
  'NETWORK_ERROR',
  'FIRST_BYTE_TIMEOUT',
  'IDLE_TIMEOUT',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'RATE_LIMITED',
  'BAD_REQUEST',
  'SERVER_ERROR',
  'MALFORMED_RESPONSE',
  'STREAM_INCOMPLETE',
  'UNSUPPORTED_REQUEST',
] as const;

export type BackendErrorCode = (typeof BACKEND_ERROR_CODES)[number];

export interface BackendErrorContext {
  /** The endpoint or request URL (never carries credentials: endpoints with them are rejected). */
  readonly url: string;
  readonly status?: number;
  /** The server's own error text, or the reason for a local error. */
  readonly detail?: string;
  readonly timeoutMs?: number;
  /** Text received before the failure, for streams that broke half way. */
  readonly partialText?: string;
}

/** How a surface names the endpoint setting, and what it advises about an API key. */
export interface BackendSettingNames {
  /** The endpoint setting at the start of a sentence. */
  readonly endpointSubject: string;
  /** The endpoint setting inside a sentence. */
  readonly endpoint: string;
  readonly apiKeyAdvice: string;
}

/** The editor's names (the default): its settings. */
export const EDITOR_SETTING_NAMES: BackendSettingNames = {
  endpointSubject: 'The setting squeeze.backend.endpoint',
  endpoint: 'squeeze.backend.endpoint',
  apiKeyAdvice: 'Set or fix the API key in squeeze.backend.apiKey.',
};

const detail = (c: BackendErrorContext) => (c.detail ? `: ${c.detail}${/[.!?…]$/.test(c.detail) ? '' : '.'}` : '.');
const seconds = (c: BackendErrorContext) => `${Math.round((c.timeoutMs ?? 0) / 100) / 10}s`;
const partial = (c: BackendErrorContext) =>
  c.partialText ? ` The ${c.partialText.length} characters received are partial output.` : ' Nothing was received.';

export const BACKEND_ERROR_MESSAGES: Readonly<Record<BackendErrorCode, (c: BackendErrorContext, n?: BackendSettingNames) => string>> = {
  INVALID_ENDPOINT: (c, n = EDITOR_SETTING_NAMES) => `${n.endpointSubject} is not a usable endpoint${detail(c)} Use a URL such as http://127.0.0.1:11434/v1.`,
  CONNECTION_REFUSED: (c, n = EDITOR_SETTING_NAMES) =>
    `Nothing is listening at ${c.url}. Start your model server (Ollama: \`ollama serve\`; llama.cpp: \`llama-server\`) or change ${n.endpoint}.`,
  DNS_FAILURE: (c, n = EDITOR_SETTING_NAMES) => `The host of ${c.url} could not be resolved. Check the host name in ${n.endpoint}; for a local server use 127.0.0.1.`,
  CONNECTION_RESET: (c) => `The connection to ${c.url} was closed before a response arrived. Check the model server's log: it may have crashed or run out of memory.`,
  NETWORK_ERROR: (c, n = EDITOR_SETTING_NAMES) => `The request to ${c.url} failed${detail(c)} Check that the server is reachable and ${n.endpoint} is right.`,
  FIRST_BYTE_TIMEOUT: (c) =>
    `The server at ${c.url} did not answer within ${seconds(c)}. It may still be loading the model or be busy; try again, or check its log.`,
  IDLE_TIMEOUT: (c) => `The server at ${c.url} stopped sending for ${seconds(c)} in the middle of a response.${partial(c)} Check its log.`,
  UNAUTHORIZED: (c, n = EDITOR_SETTING_NAMES) => `The server at ${c.url} refused the request (HTTP ${c.status ?? 401})${detail(c)} ${n.apiKeyAdvice}`,
  NOT_FOUND: (c, n = EDITOR_SETTING_NAMES) =>
    `The server answered 404 for ${c.url}${detail(c)} Check the model name, and that ${n.endpoint} ends with /v1 (Ollama: http://127.0.0.1:11434/v1).`,
  RATE_LIMITED: (c) => `The server at ${c.url} is busy (HTTP 429)${detail(c)} Wait a moment and try again.`,
  BAD_REQUEST: (c) => `The server at ${c.url} rejected the request (HTTP ${c.status ?? 400})${detail(c)}`,
  SERVER_ERROR: (c) => `The model server failed${c.status ? ` (HTTP ${c.status})` : ''}${detail(c)}${c.partialText ? partial(c) : ''} Check its log.`,
  MALFORMED_RESPONSE: (c) => `The server at ${c.url} sent a response that is not valid OpenAI-compatible JSON${detail(c)}${partial(c)}`,
  STREAM_INCOMPLETE: (c) => `The stream from ${c.url} ended before the server finished${detail(c)}${partial(c)}`,
  UNSUPPORTED_REQUEST: (c) => `This request cannot be sent to ${c.url}${detail(c)}`,
};

export class BackendError extends Error {
  readonly code: BackendErrorCode;
  readonly status: number | undefined;
  readonly url: string;
  readonly detail: string | undefined;
  readonly partialText: string | undefined;
  /** What the message is made from, for surfaces that word it with their own setting names. */
  readonly context: BackendErrorContext;

  constructor(code: BackendErrorCode, context: BackendErrorContext, options?: { cause?: unknown }) {
    super(BACKEND_ERROR_MESSAGES[code](context), options);
    this.name = 'BackendError';
    this.code = code;
    this.context = context;
    this.status = context.status;
    this.url = context.url;
    this.detail = context.detail;
    this.partialText = context.partialText;
  }

  /** The same error with the text received so far attached. */
  withPartialText(text: string): BackendError {
    return new BackendError(this.code, { ...this.context, partialText: text }, { cause: this.cause });
  }

  /** The message worded with another surface's setting names (the CLI's flags). */
  messageFor(names: BackendSettingNames): string {
    return BACKEND_ERROR_MESSAGES[this.code](this.context, names);
  }
}

export function isBackendError(e: unknown, code?: BackendErrorCode): e is BackendError {
  return e instanceof BackendError && (code === undefined || e.code === code);
}

/** Maps an HTTP error status to its code. */
export function codeForStatus(status: number): BackendErrorCode {
  if (status === 401 || status === 403) return 'UNAUTHORIZED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'SERVER_ERROR';
  return 'BAD_REQUEST';
}
