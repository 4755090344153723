import type { CancellationToken } from '../../common/cancellation.ts';
import type { Logger } from '../../common/log.ts';
import { NULL_LOGGER } from '../../common/log.ts';
import type { BackendRequest, CompletionResult, StreamCall, TextBackend } from '../../common/backend/backendTypes.ts';
import { BackendError, codeForStatus, isBackendError } from '../../common/backend/backendErrors.ts';
import { endpointUrl, normalizeEndpoint } from '../../common/backend/endpoint.ts';
import { buildWireRequest, ProtocolError, readErrorBody, readWirePiece, finishResult } from '../../common/backend/openAiProtocol.ts';
import type { WirePiece, WireRequest } from '../../common/backend/openAiProtocol.ts';
import { CompletionStreamReader } from '../../common/backend/completionStream.ts';
import { detectServerKind, parseModelsList, SERVER_PROFILES } from '../../common/backend/serverProfiles.ts';
import type { ListedModel, ServerKind, ServerProfile } from '../../common/backend/serverProfiles.ts';
import { openExchange } from './httpTransport.ts';
import type { HttpExchange } from './httpTransport.ts';

export interface OpenAiClientOptions {
  /** The `squeeze.backend.endpoint` setting; validated and normalised (a bare origin gets `/v1`). */
  readonly endpoint: string;
  /** Sent as `Authorization: Bearer …`; never logged. */
  readonly apiKey?: string;
  /** Default model name; a request's own `options.model` wins. */
  readonly model?: string;
  /** Force a server profile; `auto` (default) detects it from `/v1/models` when it matters. */
  readonly server?: ServerKind | 'auto';
  /** Until the response headers arrive. Default 60 s (a server may load the model first). */
  readonly firstByteTimeoutMs?: number;
  /** Between two body chunks. Default 30 s. */
  readonly idleTimeoutMs?: number;
  readonly logger?: Logger;
}

export interface ProbeResult {
  readonly endpoint: string;
  readonly kind: ServerKind;
  readonly profile: ServerProfile;
  readonly models: readonly ListedModel[];
}

export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** OpenAI-compatible HTTP backend: Ollama, llama.cpp server, vLLM, LM Studio (see SERVER_PROFILES). */
export class OpenAiClient implements TextBackend {
  readonly endpoint: string;
  private readonly options: OpenAiClientOptions;
  private readonly log: Logger;
  private probed: Promise<ProbeResult> | undefined;

  constructor(options: OpenAiClientOptions) {
    this.endpoint = normalizeEndpoint(options.endpoint);
    this.options = options;
    this.log = options.logger ?? NULL_LOGGER;
  }

  /** Lists the served models via `GET /models` and detects the server kind. Cached after success. */
  probe(token?: CancellationToken): Promise<ProbeResult> {
    this.probed ??= this.probeOnce(token).catch((e: unknown) => {
      this.probed = undefined;
      throw e;
    });
    return this.probed;
  }

  async complete(request: BackendRequest, token?: CancellationToken): Promise<CompletionResult> {
    const wire = await this.prepare(request, false, token);
    const json = await this.withOneRetry(() => this.postJson(wire, token));
    const piece = wholePiece(json, this.url(wire.route));
    return finishResult(piece.text, piece);
  }

  async stream(request: BackendRequest, call: StreamCall): Promise<CompletionResult> {
    const wire = await this.prepare(request, true, call.token);
    const ex = await this.send('POST', wire, call.token);
    try {
      await this.ensureOk(ex, wire.route);
      if (!isEventStream(ex.response)) return await this.readUnstreamed(ex, wire, call);
      const reader = new CompletionStreamReader(this.url(wire.route));
      try {
        for await (const chunk of ex.chunks()) {
          for (const piece of reader.push(chunk)) call.onText(piece);
          if (reader.done) break;
        }
      } catch (e) {
        throw isBackendError(e) && e.partialText === undefined ? e.withPartialText(reader.text) : e;
      }
      return reader.finish();
    } finally {
      ex.close();
    }
  }

  private async prepare(request: BackendRequest, stream: boolean, token: CancellationToken | undefined): Promise<WireRequest> {
    const wanted = request.options?.model ?? this.options.model;
    const fixed = this.fixedKind();
    // Probe only when it changes the request: an unknown server and FIM (suffix or not), or no model name.
    const needsProbe = wanted === undefined ? fixed === undefined || SERVER_PROFILES[fixed].requiresModel : fixed === undefined && request.kind === 'fim';
    const probe = needsProbe ? await this.probeOrGeneric(token) : undefined;
    const profile = probe?.profile ?? SERVER_PROFILES[fixed ?? 'generic'];
    const model = wanted ?? (profile.requiresModel ? probe?.models[0]?.id : undefined);
    if (model === undefined && profile.requiresModel) {
      throw new BackendError('UNSUPPORTED_REQUEST', { url: this.endpoint, detail: `${profile.label} needs a model name; set squeeze.backend.model` });
    }
    try {
      return buildWireRequest(request, profile, model, stream);
    } catch (e) {
      if (e instanceof ProtocolError) throw new BackendError('UNSUPPORTED_REQUEST', { url: this.endpoint, detail: e.message });
      throw e;
    }
  }

  private fixedKind(): ServerKind | undefined {
    const s = this.options.server;
    return s === undefined || s === 'auto' ? undefined : s;
  }

  /** A server without a usable `/models` is treated as generic; being unreachable is still an error. */
  private async probeOrGeneric(token: CancellationToken | undefined): Promise<ProbeResult> {
    try {
      return await this.probe(token);
    } catch (e) {
      if (!isBackendError(e) || !['NOT_FOUND', 'BAD_REQUEST', 'MALFORMED_RESPONSE'].includes(e.code)) throw e;
      const kind = this.fixedKind() ?? 'generic';
      this.log.warn(`Could not list models at ${this.endpoint} (${e.code}); using the ${SERVER_PROFILES[kind].label} profile.`);
      const fallback: ProbeResult = { endpoint: this.endpoint, kind, profile: SERVER_PROFILES[kind], models: [] };
      this.probed = Promise.resolve(fallback);
      return fallback;
    }
  }

  private async probeOnce(token: CancellationToken | undefined): Promise<ProbeResult> {
    const ex = await this.send('GET', { route: '/models', body: {} }, token);
    try {
      await this.ensureOk(ex, '/models');
      const models = parseModelsList(parseJson(await ex.text(), this.url('/models')));
      if (!models) throw new BackendError('MALFORMED_RESPONSE', { url: this.url('/models'), detail: 'no "data" array in the models list' });
      const kind = this.fixedKind() ?? detectServerKind(models, ex.response.headers.get('server') ?? undefined);
      this.log.info(`Backend at ${this.endpoint}: ${SERVER_PROFILES[kind].label}, ${models.length} model(s).`);
      return { endpoint: this.endpoint, kind, profile: SERVER_PROFILES[kind], models };
    } finally {
      ex.close();
    }
  }

  private async postJson(wire: WireRequest, token: CancellationToken | undefined): Promise<unknown> {
    const ex = await this.send('POST', wire, token);
    try {
      await this.ensureOk(ex, wire.route);
      return parseJson(await ex.text(), this.url(wire.route));
    } finally {
      ex.close();
    }
  }

  /** At most one retry, only for a connection reset before any response (never for 4xx/5xx or timeouts). */
  private async withOneRetry<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (!isBackendError(e, 'CONNECTION_RESET')) throw e;
      this.log.warn(`Connection reset by ${this.endpoint}; retrying once.`);
      return fn();
    }
  }

  private send(method: 'GET' | 'POST', wire: WireRequest | { route: string; body: object }, token: CancellationToken | undefined): Promise<HttpExchange> {
    const url = this.url(wire.route);
    const stream = method === 'POST' && (wire.body as { stream?: unknown }).stream === true;
    this.log.debug(`${method} ${url}${stream ? ' (stream)' : ''}`);
    const headers: Record<string, string> = { accept: stream ? 'text/event-stream' : 'application/json' };
    if (method === 'POST') headers['content-type'] = 'application/json';
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    return openExchange({
      method,
      url,
      headers,
      ...(method === 'POST' ? { body: JSON.stringify(wire.body) } : {}),
      ...(token ? { token } : {}),
      firstByteTimeoutMs: this.options.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS,
      idleTimeoutMs: this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    });
  }

  private async ensureOk(ex: HttpExchange, route: string): Promise<void> {
    const status = ex.response.status;
    if (status >= 200 && status < 300) return;
    const body = await ex.text(64 * 1024).catch(() => '');
    throw new BackendError(codeForStatus(status), { url: this.url(route), status, detail: readErrorBody(body) });
  }

  /** A server that ignored `stream: true` and answered with one JSON document. */
  private async readUnstreamed(ex: HttpExchange, wire: WireRequest, call: StreamCall): Promise<CompletionResult> {
    const piece = wholePiece(parseJson(await ex.text(), this.url(wire.route)), this.url(wire.route));
    if (piece.text) call.onText(piece.text);
    return finishResult(piece.text, piece);
  }

  private url(route: string): string {
    return endpointUrl(this.endpoint, route);
  }
}

/** Reads a whole (non-streamed) response; protocol problems and `{ error }` bodies become BackendErrors. */
function wholePiece(json: unknown, url: string): WirePiece {
  let piece: WirePiece;
  try {
    piece = readWirePiece(json);
  } catch (e) {
    if (e instanceof ProtocolError) throw new BackendError('MALFORMED_RESPONSE', { url, detail: e.message });
    throw e;
  }
  if (piece.error !== undefined) throw new BackendError('SERVER_ERROR', { url, detail: piece.error });
  return piece;
}

function isEventStream(res: Response): boolean {
  const type = res.headers.get('content-type') ?? '';
  return !type.includes('application/json');
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const snippet = text.length > 80 ? `${text.slice(0, 80)}…` : text;
    throw new BackendError('MALFORMED_RESPONSE', { url, detail: `invalid JSON ${JSON.stringify(snippet)}` }, { cause: e });
  }
}
