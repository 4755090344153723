import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWireRequest, ProtocolError, readErrorBody, readWirePiece } from '../../../../src/common/backend/openAiProtocol.ts';
import { SERVER_PROFILES } from '../../../../src/common/backend/serverProfiles.ts';

describe('buildWireRequest', () => {
  test('raw, chat and FIM (suffix vs formatted) bodies', () => {
    const raw = buildWireRequest({ kind: 'raw', prompt: 'p', options: { maxTokens: 3, stop: [] } }, SERVER_PROFILES.vllm, 'm', false);
    assert.deepEqual(raw, { route: '/completions', body: { stream: false, model: 'm', max_tokens: 3, prompt: 'p' } });
    const chat = buildWireRequest({ kind: 'chat', messages: [{ role: 'system', content: 's' }] }, SERVER_PROFILES.llamacpp, undefined, true);
    assert.deepEqual(chat, { route: '/chat/completions', body: { stream: true, messages: [{ role: 'system', content: 's' }] } });
    const ollama = buildWireRequest({ kind: 'fim', prefix: 'a', suffix: 'b' }, SERVER_PROFILES.ollama, 'x', true);
    assert.deepEqual(ollama.body, { stream: true, model: 'x', prompt: 'a', suffix: 'b' });
    const vllm = buildWireRequest({ kind: 'fim', prefix: 'a', suffix: 'b' }, SERVER_PROFILES.vllm, 'bigcode/starcoder2-3b', true);
    assert.equal(vllm.body.prompt, '<fim_prefix>a<fim_suffix>b<fim_middle>');
    assert.throws(() => buildWireRequest({ kind: 'fim', prefix: 'a', suffix: 'b' }, SERVER_PROFILES.vllm, 'gpt', true), ProtocolError);
  });
});

describe('readWirePiece', () => {
  test('completion text, chat delta, chat message, error objects', () => {
    assert.deepEqual(readWirePiece({ choices: [{ text: 'a', finish_reason: null }] }), { text: 'a', finishReason: null });
    assert.equal(readWirePiece({ choices: [{ delta: { content: 'b' } }] }).text, 'b');
    assert.equal(readWirePiece({ choices: [{ message: { content: 'c' }, finish_reason: 'length' }], model: 'm' }).finishReason, 'length');
    assert.equal(readWirePiece({ choices: [] }).text, '');
    assert.equal(readWirePiece({ error: { message: 'boom' } }).error, 'boom');
    assert.throws(() => readWirePiece([1]), ProtocolError);
    assert.throws(() => readWirePiece({ foo: 1 }), ProtocolError);
  });
});

describe('readErrorBody', () => {
  test('OpenAI, Ollama, vLLM, FastAPI and plain-text error bodies', () => {
    assert.equal(readErrorBody('{"error":{"message":"bad key","type":"auth"}}'), 'bad key');
    assert.equal(readErrorBody('{"error":"model not found"}'), 'model not found');
    assert.equal(readErrorBody('{"object":"error","message":"too long"}'), 'too long');
    assert.equal(readErrorBody('{"detail":"Not Found"}'), 'Not Found');
    assert.equal(readErrorBody('<html>\n<body>502 Bad Gateway</body></html>'), '<html> <body>502 Bad Gateway</body></html>');
    assert.equal(readErrorBody(''), undefined);
    assert.equal(readErrorBody('{"ok":true}'), undefined);
  });
});
