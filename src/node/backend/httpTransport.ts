import type { CancellationToken, Disposable } from '../../common/cancellation.ts';
import { CancellationError } from '../../common/cancellation.ts';
import { BackendError } from '../../common/backend/backendErrors.ts';
import type { BackendErrorCode } from '../../common/backend/backendErrors.ts';

/**
 * One HTTP exchange over `fetch`, with the three ways to stop it folded into one AbortController:
 * the caller's cancellation token, a timeout until the response headers arrive, and an idle timeout
 * between body chunks. Failures come out as BackendError (or CancellationError), never as raw
 * undici errors.
 */
export interface HttpCall {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Sent as given; never logged (may hold the API key). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly token?: CancellationToken;
  readonly firstByteTimeoutMs: number;
  readonly idleTimeoutMs: number;
}

type StopReason = 'cancel' | 'first-byte' | 'idle';

/** Network error codes (Node and undici) → backend error codes, for failures before a response. */
const CONNECT_ERROR_CODES: Readonly<Record<string, BackendErrorCode>> = {
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ENOTFOUND: 'DNS_FAILURE',
  EAI_AGAIN: 'DNS_FAILURE',
  ECONNRESET: 'CONNECTION_RESET',
  EPIPE: 'CONNECTION_RESET',
  UND_ERR_SOCKET: 'CONNECTION_RESET',
  UND_ERR_CLOSED: 'CONNECTION_RESET',
  ETIMEDOUT: 'FIRST_BYTE_TIMEOUT',
  UND_ERR_CONNECT_TIMEOUT: 'FIRST_BYTE_TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'FIRST_BYTE_TIMEOUT',
};

export class HttpExchange {
  readonly response: Response;
  private readonly call: HttpCall;
  private readonly guard: AbortGuard;

  constructor(response: Response, call: HttpCall, guard: AbortGuard) {
    this.response = response;
    this.call = call;
    this.guard = guard;
  }

  /** The body, chunk by chunk, each read bounded by the idle timeout. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    const body = this.response.body;
    if (!body) return;
    const reader = body.getReader();
    for (;;) {
      this.guard.arm('idle', this.call.idleTimeoutMs);
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        throw this.guard.failure(e, this.call, 'body');
      } finally {
        this.guard.disarm();
      }
      if (r.done) return;
      yield r.value;
    }
  }

  /** The body as text, at most `limitBytes` of it. */
  async text(limitBytes = 16 * 1024 * 1024): Promise<string> {
    const decoder = new TextDecoder();
    let out = '';
    let n = 0;
    for await (const chunk of this.chunks()) {
      out += decoder.decode(chunk, { stream: true });
      n += chunk.byteLength;
      if (n >= limitBytes) break;
    }
    return out + decoder.decode();
  }

  /** Ends the exchange: aborts whatever is still in flight and drops the token listener. */
  close(): void {
    this.guard.close();
  }
}

/** Sends the request and waits for the response headers. */
export async function openExchange(call: HttpCall): Promise<HttpExchange> {
  if (call.token?.isCancellationRequested) throw new CancellationError();
  const guard = new AbortGuard(call.token);
  guard.arm('first-byte', call.firstByteTimeoutMs);
  try {
    const init: RequestInit = { method: call.method, headers: { ...call.headers }, signal: guard.signal, redirect: 'follow' };
    if (call.body !== undefined) init.body = call.body;
    const response = await fetch(call.url, init);
    return new HttpExchange(response, call, guard);
  } catch (e) {
    guard.close();
    throw guard.failure(e, call, 'connect');
  } finally {
    guard.disarm();
  }
}

class AbortGuard {
  private readonly controller = new AbortController();
  private readonly subscription: Disposable | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reason: StopReason | undefined;
  private armedMs = 0;

  constructor(token: CancellationToken | undefined) {
    this.subscription = token?.onCancellationRequested(() => this.stop('cancel'));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  arm(reason: 'first-byte' | 'idle', ms: number): void {
    this.disarm();
    this.armedMs = ms;
    this.timer = setTimeout(() => this.stop(reason), ms);
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.disarm();
    this.subscription?.dispose();
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  /** Turns whatever fetch or the body reader threw into the error the caller should see. */
  failure(e: unknown, call: HttpCall, phase: 'connect' | 'body'): Error {
    const url = call.url;
    if (this.reason === 'cancel') return new CancellationError();
    if (this.reason === 'first-byte') return new BackendError('FIRST_BYTE_TIMEOUT', { url, timeoutMs: this.armedMs }, { cause: e });
    if (this.reason === 'idle') return new BackendError('IDLE_TIMEOUT', { url, timeoutMs: this.armedMs }, { cause: e });
    const code = networkErrorCode(e);
    if (phase === 'body') {
      return new BackendError('STREAM_INCOMPLETE', { url, detail: `the connection was lost (${code ?? describe(e)})` }, { cause: e });
    }
    return new BackendError(connectFailureCode(e), { url, detail: code ?? describe(e), timeoutMs: this.armedMs }, { cause: e });
  }

  private stop(reason: StopReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.disarm();
    this.controller.abort();
  }
}

/** The backend error code of a failure before any response (refused, DNS, reset, ...). */
export function connectFailureCode(e: unknown): BackendErrorCode {
  const code = networkErrorCode(e);
  return (code !== undefined ? CONNECT_ERROR_CODES[code] : undefined) ?? 'NETWORK_ERROR';
}

/** The first `code` found on the error, its causes, or an AggregateError's members. */
export function networkErrorCode(e: unknown, depth = 0): string | undefined {
  if (typeof e !== 'object' || e === null || depth > 4) return undefined;
  const o = e as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof o.code === 'string') return o.code;
  const fromCause = networkErrorCode(o.cause, depth + 1);
  if (fromCause) return fromCause;
  if (Array.isArray(o.errors)) {
    for (const inner of o.errors) {
      const c = networkErrorCode(inner, depth + 1);
      if (c) return c;
    }
  }
  return undefined;
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  return cause && cause !== e.message ? `${e.message}: ${cause}` : e.message;
}
