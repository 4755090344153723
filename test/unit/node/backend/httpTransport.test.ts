import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAiClient } from '../../../../src/node/backend/openAiClient.ts';
import type { OpenAiClientOptions } from '../../../../src/node/backend/openAiClient.ts';
import { connectFailureCode } from '../../../../src/node/backend/httpTransport.ts';
import { BackendError } from '../../../../src/common/backend/backendErrors.ts';
import type { BackendErrorCode } from '../../../../src/common/backend/backendErrors.ts';
import { CancellationTokenSource, isCancellationError } from '../../../../src/common/cancellation.ts';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { FakeOpenAiServer, answer, closedPort, completionChunk } from './fakeOpenAiServer.ts';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

function client(extra: Partial<OpenAiClientOptions> = {}): OpenAiClient {
  return new OpenAiClient({ endpoint: server.base, model: 'm', server: 'llamacpp', ...extra });
}

async function rejectsWith(p: Promise<unknown>, code: BackendErrorCode): Promise<BackendError> {
  const e = await p.then(
    () => assert.fail(`expected ${code}, but it resolved`),
    (err: unknown) => err,
  );
  assert.ok(e instanceof BackendError, `expected BackendError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  return e;
}

function startStream(c: OpenAiClient, token?: CancellationTokenSource['token']): { pieces: string[]; done: Promise<unknown> } {
  const pieces: string[] = [];
  const done = c.stream({ kind: 'raw', prompt: 'x' }, { onText: (t) => pieces.push(t), ...(token ? { token } : {}) });
  return { pieces, done };
}

describe('connection failures', () => {
  test('connection refused names the URL and how to start a server', async () => {
    const port = await closedPort();
    const c = new OpenAiClient({ endpoint: `http://127.0.0.1:${port}`, model: 'm', server: 'ollama' });
    const e = await rejectsWith(c.complete({ kind: 'raw', prompt: 'x' }), 'CONNECTION_REFUSED');
    assert.equal(
      e.message,
      `Nothing is listening at http://127.0.0.1:${port}/v1/completions. Start your model server (Ollama: \`ollama serve\`; ` +
        'llama.cpp: `llama-server`) or change squeeze.backend.endpoint.',
    );
  });

  test('network error codes map to backend codes (DNS, reset, timeouts; AggregateError members too)', () => {
    const wrap = (cause: unknown) => new TypeError('fetch failed', { cause });
    assert.equal(connectFailureCode(wrap({ code: 'ENOTFOUND' })), 'DNS_FAILURE');
    assert.equal(connectFailureCode(wrap({ code: 'EAI_AGAIN' })), 'DNS_FAILURE');
    assert.equal(connectFailureCode(wrap({ code: 'ECONNRESET' })), 'CONNECTION_RESET');
    assert.equal(connectFailureCode(wrap({ code: 'UND_ERR_CONNECT_TIMEOUT' })), 'FIRST_BYTE_TIMEOUT');
    assert.equal(connectFailureCode(wrap(new AggregateError([{ code: 'ECONNREFUSED' }]))), 'CONNECTION_REFUSED');
    assert.equal(connectFailureCode(wrap(new Error('bad port'))), 'NETWORK_ERROR');
  });

  test('a server that hangs before the headers hits the first-byte timeout and the connection is closed', async () => {
    server.handle('/v1/completions', () => undefined);
    const started = Date.now();
    const e = await rejectsWith(client({ firstByteTimeoutMs: 300 }).complete({ kind: 'raw', prompt: 'x' }), 'FIRST_BYTE_TIMEOUT');
    assert.ok(Date.now() - started < 3000);
    assert.match(e.message, /did not answer within 0\.3s/);
    await server.requests[0]?.closed;
    assert.equal(server.requests[0]?.abortedByClient, true);
  });

  test('a server that hangs mid-stream hits the idle timeout with the partial text', async () => {
    server.handle('/v1/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${completionChunk('so far', 'completion')}\n\n`);
    });
    const { pieces, done } = startStream(client({ idleTimeoutMs: 150 }));
    const e = await rejectsWith(done, 'IDLE_TIMEOUT');
    assert.equal(e.partialText, 'so far');
    assert.deepEqual(pieces, ['so far']);
    await server.requests[0]?.closed;
    assert.equal(server.requests[0]?.abortedByClient, true);
  });
});

describe('cancellation', () => {
  test('cancelling mid-stream rejects with CancellationError and the server sees the connection closed', async () => {
    const cts = new CancellationTokenSource();
    server.handle('/v1/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${completionChunk('first', 'completion')}\n\n`);
      const timer = setInterval(() => res.write(`data: ${completionChunk('.', 'completion')}\n\n`), 20);
      res.on('close', () => clearInterval(timer));
    });
    const pieces: string[] = [];
    const done = client().stream({ kind: 'raw', prompt: 'x' }, {
      token: cts.token,
      onText: (t) => {
        pieces.push(t);
        if (pieces.length === 3) cts.cancel();
      },
    });
    await assert.rejects(done, (e: unknown) => isCancellationError(e));
    await server.requests[0]?.closed;
    assert.equal(server.requests[0]?.abortedByClient, true);
    assert.equal(pieces.length, 3);
  });

  test('cancelling before the headers arrive aborts the request at once', async () => {
    const cts = new CancellationTokenSource();
    server.handle('/v1/completions', () => cts.cancel());
    const done = client().complete({ kind: 'raw', prompt: 'x' }, cts.token);
    await assert.rejects(done, (e: unknown) => isCancellationError(e));
    await server.requests[0]?.closed;
    assert.equal(server.requests[0]?.abortedByClient, true);
  });

  test('an already-cancelled token sends nothing', async () => {
    const cts = new CancellationTokenSource();
    cts.cancel();
    await assert.rejects(client().complete({ kind: 'raw', prompt: 'x' }, cts.token), (e: unknown) => isCancellationError(e));
    assert.equal(server.requests.length, 0);
  });
});

describe('retries', () => {
  const resetFirst = () => {
    let n = 0;
    server.handle('/v1/completions', (req, res) => {
      n++;
      if (n === 1) res.socket?.destroy();
      else answer(req, res, ['again'], 'completion');
    });
  };

  test('a non-streaming call is retried once after a connection reset', async () => {
    resetFirst();
    const logger = new MemoryLogger();
    const r = await client({ logger, apiKey: 'sk-secret' }).complete({ kind: 'raw', prompt: 'x' });
    assert.equal(r.text, 'again');
    assert.equal(server.requests.length, 2);
    assert.ok(logger.entries.some((e) => /retrying once/.test(e.message)));
    assert.ok(logger.entries.every((e) => !e.message.includes('sk-secret')), 'the API key is never logged');
  });

  test('a second reset is not retried again', async () => {
    server.handle('/v1/completions', (_req, res) => res.socket?.destroy());
    await rejectsWith(client().complete({ kind: 'raw', prompt: 'x' }), 'CONNECTION_RESET');
    assert.equal(server.requests.length, 2);
  });

  test('a streaming call is never retried', async () => {
    resetFirst();
    await rejectsWith(startStream(client()).done, 'CONNECTION_RESET');
    assert.equal(server.requests.length, 1);
  });
});
