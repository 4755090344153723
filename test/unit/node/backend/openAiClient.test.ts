import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAiClient } from '../../../../src/node/backend/openAiClient.ts';
import type { OpenAiClientOptions } from '../../../../src/node/backend/openAiClient.ts';
import { BackendError } from '../../../../src/common/backend/backendErrors.ts';
import type { BackendErrorCode } from '../../../../src/common/backend/backendErrors.ts';
import { DEFAULT_PIECES, FakeOpenAiServer, answer, completionChunk, json, sseBody } from './fakeOpenAiServer.ts';

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

async function collect(c: OpenAiClient, prompt = 'say hello'): Promise<{ pieces: string[]; text: string }> {
  const pieces: string[] = [];
  const r = await c.stream({ kind: 'raw', prompt }, { onText: (t) => pieces.push(t) });
  return { pieces, text: r.text };
}

async function rejectsWith(p: Promise<unknown>, code: BackendErrorCode): Promise<BackendError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof BackendError, `expected BackendError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}, but it resolved`);
}

describe('OpenAiClient: normal traffic', () => {
  test('streams a raw completion and sends the sampling options', async () => {
    const c = client({ apiKey: 'sk-secret' });
    const pieces: string[] = [];
    const options = { maxTokens: 16, temperature: 0.2, topP: 0.9, stop: ['\n\n'] };
    const r = await c.stream({ kind: 'raw', prompt: 'def f(', options }, { onText: (t) => pieces.push(t) });
    assert.deepEqual(pieces, DEFAULT_PIECES);
    assert.equal(r.text, 'Hello, world');
    assert.equal(r.finishReason, 'stop');
    const req = server.requests[0];
    assert.equal(req?.path, '/v1/completions');
    assert.deepEqual(req?.json, { stream: true, model: 'm', max_tokens: 16, temperature: 0.2, top_p: 0.9, stop: ['\n\n'], prompt: 'def f(' });
    assert.equal(req?.headers.authorization, 'Bearer sk-secret');
  });

  test('non-streaming completion and chat', async () => {
    const c = client();
    const r = await c.complete({ kind: 'raw', prompt: 'x' });
    assert.equal(r.text, 'Hello, world');
    assert.deepEqual(r.usage, { promptTokens: 5, completionTokens: 4 });
    const chat = await c.complete({ kind: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(chat.text, 'Hello, world');
    assert.equal(server.requests[1]?.path, '/v1/chat/completions');
    assert.deepEqual(server.requests[1]?.json.messages, [{ role: 'user', content: 'hi' }]);
  });

  test('streams chat deltas, skipping the role-only first chunk', async () => {
    server.handle('/v1/chat/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const first = JSON.stringify({ choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] });
      res.end(`data: ${first}\n\n${sseBody(['a', 'b'], 'chat')}`);
    });
    const pieces: string[] = [];
    const r = await client().stream({ kind: 'chat', messages: [{ role: 'user', content: 'q' }] }, { onText: (t) => pieces.push(t) });
    assert.deepEqual(pieces, ['a', 'b']);
    assert.equal(r.text, 'ab');
  });

  test('a server that ignores stream:true and answers JSON still works', async () => {
    server.handle('/v1/completions', (req, res) => answer({ ...req, json: { ...req.json, stream: false } }, res, ['whole'], 'completion'));
    assert.deepEqual(await collect(client()), { pieces: ['whole'], text: 'whole' });
  });

  test('odd byte boundaries: inside UTF-8 sequences, CRLF, comments, multi-line data', async () => {
    const pieces = ['héllo ', '世界 ', '🙂', ' ok'];
    server.handle('/v1/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.socket?.setNoDelay(true);
      const body = `: keep-alive\r\n\r\n${sseBody(pieces, 'completion').replace(/\n/g, '\r\n')}`;
      void writeOdd(res, Buffer.from(body, 'utf8')).then(() => res.end());
    });
    const r = await collect(client());
    assert.equal(r.text, pieces.join(''));
  });
});

async function writeOdd(res: import('node:http').ServerResponse, bytes: Buffer): Promise<void> {
  const sizes = [1, 2, 3, 5, 7];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length] ?? 1;
    res.write(bytes.subarray(at, at + n));
    at += n;
    if (i % 8 === 0) await new Promise((r) => setTimeout(r, 1));
  }
}

describe('OpenAiClient: fill-in-the-middle and server profiles', () => {
  test('Ollama gets prompt + suffix', async () => {
    await client({ server: 'ollama', model: 'qwen2.5-coder:1.5b' }).complete({ kind: 'fim', prefix: 'a(', suffix: ')' });
    assert.equal(server.requests[0]?.json.prompt, 'a(');
    assert.equal(server.requests[0]?.json.suffix, ')');
  });

  test('llama.cpp gets the formatted FIM prompt and the FIM stop tokens', async () => {
    await client({ model: 'qwen2.5-coder-1.5b-q8_0.gguf' }).complete({ kind: 'fim', prefix: 'a(', suffix: ')', options: { stop: ['\n'] } });
    const body = server.requests[0]?.json;
    assert.equal(body?.prompt, '<|fim_prefix|>a(<|fim_suffix|>)<|fim_middle|>');
    assert.equal(body?.suffix, undefined);
    assert.ok(Array.isArray(body?.stop) && body.stop.includes('\n') && body.stop.includes('<|endoftext|>'));
  });

  test('FIM for a model with unknown tokens is refused before sending', async () => {
    const e = await rejectsWith(client({ model: 'mystery' }).complete({ kind: 'fim', prefix: 'a', suffix: 'b' }), 'UNSUPPORTED_REQUEST');
    assert.match(e.message, /mystery/);
    assert.equal(server.requests.length, 0);
  });

  test('auto: probes /v1/models once, detects Ollama, uses its first model and suffix', async () => {
    const c = new OpenAiClient({ endpoint: server.origin });
    assert.equal(c.endpoint, server.base);
    await c.complete({ kind: 'fim', prefix: 'p', suffix: 's' });
    await c.complete({ kind: 'fim', prefix: 'p', suffix: 's' });
    assert.deepEqual(server.requests.map((r) => r.path), ['/v1/models', '/v1/completions', '/v1/completions']);
    assert.equal(server.requests[1]?.json.model, 'qwen2.5-coder:1.5b');
    assert.equal(server.requests[1]?.json.suffix, 's');
  });

  test('a fixed profile without a model name takes the first listed model; no /models means generic', async () => {
    await new OpenAiClient({ endpoint: server.base, server: 'vllm' }).complete({ kind: 'raw', prompt: 'x' });
    assert.equal(server.requests[1]?.json.model, 'qwen2.5-coder:1.5b');
    server.handle('/v1/models', (_req, res) => json(res, 404, { detail: 'Not Found' }));
    const c = new OpenAiClient({ endpoint: server.base });
    const e = await rejectsWith(c.complete({ kind: 'raw', prompt: 'x' }), 'UNSUPPORTED_REQUEST');
    assert.match(e.message, /squeeze\.backend\.model/);
    assert.equal((await client({ server: 'auto', model: 'codellama:7b-code' }).complete({ kind: 'fim', prefix: 'a', suffix: 'b' })).text, 'Hello, world');
    assert.equal(server.requests.at(-1)?.json.prompt, '<PRE> a <SUF>b <MID>');
  });

  test('probe detects llama.cpp, vLLM and LM Studio', async () => {
    const cases: [unknown, Record<string, string>, string][] = [
      [{ data: [{ id: 'model.gguf', owned_by: 'llamacpp', meta: {} }] }, {}, 'llamacpp'],
      [{ data: [{ id: 'x' }] }, { server: 'llama.cpp' }, 'llamacpp'],
      [{ data: [{ id: 'Qwen/Qwen2.5-Coder-1.5B', owned_by: 'vllm', max_model_len: 32768 }] }, {}, 'vllm'],
      [{ data: [{ id: 'qwen2.5-coder-1.5b', owned_by: 'organization_owner' }] }, {}, 'lmstudio'],
      [{ data: [{ id: 'gpt-x', owned_by: 'someone' }] }, {}, 'generic'],
    ];
    for (const [list, headers, kind] of cases) {
      server.handle('/v1/models', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(list));
      });
      const probe = await new OpenAiClient({ endpoint: server.base }).probe();
      assert.equal(probe.kind, kind);
    }
  });
});

describe('OpenAiClient: failures', () => {
  test('HTTP errors carry the server message and are not retried', async () => {
    const cases: [number, unknown, BackendErrorCode, RegExp][] = [
      [500, { error: { message: 'CUDA out of memory', type: 'server_error' } }, 'SERVER_ERROR', /CUDA out of memory/],
      [404, { error: 'model "m" not found, try pulling it first' }, 'NOT_FOUND', /not found.*\/v1/],
      [401, { error: { message: 'Invalid API key' } }, 'UNAUTHORIZED', /squeeze\.backend\.apiKey/],
      [400, { object: 'error', message: 'max_tokens is too large', type: 'BadRequestError' }, 'BAD_REQUEST', /max_tokens is too large/],
      [429, { detail: 'slow down' }, 'RATE_LIMITED', /slow down/],
    ];
    for (const [status, body, code, text] of cases) {
      server.requests.length = 0;
      server.handle('/v1/completions', (_req, res) => json(res, status, body));
      const e = await rejectsWith(client({ apiKey: 'sk-secret' }).complete({ kind: 'raw', prompt: 'x' }), code);
      assert.equal(e.status, status);
      assert.match(e.message, text);
      assert.doesNotMatch(e.message, /sk-secret/);
      assert.equal(server.requests.length, 1, 'no retry on HTTP errors');
    }
  });

  test('malformed JSON in a stream event reports the partial output', async () => {
    server.handle('/v1/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${completionChunk('ok', 'completion')}\n\ndata: {"choices": [\n\n`);
    });
    const e = await rejectsWith(collect(client()), 'MALFORMED_RESPONSE');
    assert.equal(e.partialText, 'ok');
    assert.match(e.message, /2 characters received are partial/);
  });

  test('an error event mid-stream becomes SERVER_ERROR', async () => {
    server.handle('/v1/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${completionChunk('ab', 'completion')}\n\ndata: {"error":{"message":"context overflow"}}\n\n`);
    });
    const e = await rejectsWith(collect(client()), 'SERVER_ERROR');
    assert.match(e.message, /context overflow/);
    assert.equal(e.partialText, 'ab');
  });

  test('a stream that ends without [DONE] or finish_reason is incomplete; with finish_reason it is accepted', async () => {
    server.handle('/v1/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sseBody(['par', 'tial'], 'completion', { done: false, finish: false }));
    });
    const e = await rejectsWith(collect(client()), 'STREAM_INCOMPLETE');
    assert.equal(e.partialText, 'partial');
    server.handle('/v1/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sseBody(['all'], 'completion', { done: false }));
    });
    assert.equal((await collect(client())).text, 'all');
  });

  test('the socket destroyed half way: STREAM_INCOMPLETE with the partial text', async () => {
    server.handle('/v1/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${completionChunk('half', 'completion')}\n\n`);
      setTimeout(() => res.socket?.destroy(), 30);
    });
    const pieces: string[] = [];
    const p = client().stream({ kind: 'raw', prompt: 'x' }, { onText: (t) => pieces.push(t) });
    const e = await rejectsWith(p, 'STREAM_INCOMPLETE');
    assert.equal(e.partialText, 'half');
    assert.deepEqual(pieces, ['half']);
  });
});
