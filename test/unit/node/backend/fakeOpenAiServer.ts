import http from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server for tests (127.0.0.1, port 0). By default it streams a fixed
 * answer; a test replaces a route's handler to make it misbehave.
 */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: Record<string, unknown>;
  /** Set when the client closed the connection before the response was finished. */
  abortedByClient: boolean;
  /** Resolves when the connection of this request is closed, whoever closed it. */
  readonly closed: Promise<void>;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void;

export const DEFAULT_PIECES = ['Hel', 'lo', ', wor', 'ld'];

export class FakeOpenAiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly server: http.Server;

  private constructor() {
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    this.handle('/v1/models', (_req, res) => json(res, 200, { object: 'list', data: [{ id: 'qwen2.5-coder:1.5b', object: 'model', owned_by: 'library' }] }));
    this.handle('/v1/completions', (req, res) => answer(req, res, DEFAULT_PIECES, 'completion'));
    this.handle('/v1/chat/completions', (req, res) => answer(req, res, DEFAULT_PIECES, 'chat'));
  }

  static async start(): Promise<FakeOpenAiServer> {
    const s = new FakeOpenAiServer();
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    return s;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get base(): string {
    return `${this.origin}/v1`;
  }

  handle(path: string, handler: Handler): void {
    this.handlers.set(path, handler);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(req: http.IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let parsed: Record<string, unknown> = {};
      try {
        parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      } catch {
        parsed = {};
      }
      const closed = new Promise<void>((resolve) => res.on('close', resolve));
      const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json: parsed, abortedByClient: false, closed };
      res.on('close', () => {
        if (!res.writableFinished) rec.abortedByClient = true;
      });
      this.requests.push(rec);
      const handler = this.handlers.get(rec.path);
      if (handler) handler(rec, res);
      else json(res, 404, { error: { message: `no route ${rec.path}` } });
    });
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function completionChunk(text: string, kind: 'completion' | 'chat', finish: string | null = null): string {
  const choice = kind === 'chat' ? { index: 0, delta: { content: text }, finish_reason: finish } : { index: 0, text, finish_reason: finish };
  return JSON.stringify({ id: 'x', object: 'chunk', model: 'fake-model', choices: [choice] });
}

/** The event-stream bytes of a normal answer: one event per piece, a finish chunk, `[DONE]`. */
export function sseBody(pieces: readonly string[], kind: 'completion' | 'chat', opts: { done?: boolean; finish?: boolean } = {}): string {
  const events = pieces.map((p) => `data: ${completionChunk(p, kind)}\n\n`);
  if (opts.finish !== false) events.push(`data: ${completionChunk('', kind, 'stop')}\n\n`);
  if (opts.done !== false) events.push('data: [DONE]\n\n');
  return events.join('');
}

/** Streams or returns JSON depending on the request's `stream` field. */
export function answer(req: RecordedRequest, res: ServerResponse, pieces: readonly string[], kind: 'completion' | 'chat'): void {
  if (req.json.stream === true) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(sseBody(pieces, kind));
    return;
  }
  const text = pieces.join('');
  const choice = kind === 'chat' ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' } : { index: 0, text, finish_reason: 'stop' };
  json(res, 200, { id: 'x', model: 'fake-model', choices: [choice], usage: { prompt_tokens: 5, completion_tokens: 4 } });
}

/** Writes `bytes` in slices of the given sizes (cycled), with a short pause between them. */
export async function writeSliced(res: ServerResponse, bytes: Buffer, sizes: readonly number[]): Promise<void> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length] ?? 1;
    res.write(bytes.subarray(at, at + n));
    at += n;
    await new Promise((r) => setImmediate(r));
  }
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
