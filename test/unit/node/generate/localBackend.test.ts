import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalBackend } from '../../../../src/node/generate/localBackend.ts';
import type { OnnxDecoder } from '../../../../src/node/generate/onnxDecoder.ts';
import { loadTiny } from './tinyModel.ts';

let tiny: OnnxDecoder;
before(async () => {
  tiny = await loadTiny();
});
after(() => tiny.dispose());

describe('LocalBackend (TextBackend over the ONNX decoder)', () => {
  test('raw, fim and chat requests stream text and report usage', async () => {
    const backend = new LocalBackend(tiny);
    for (const request of [
      { kind: 'raw', prompt: 'def add(a, b):', options: { maxTokens: 6 } },
      { kind: 'fim', prefix: 'def add(a, b):\n    return ', suffix: '\n', options: { maxTokens: 6 } },
      { kind: 'chat', messages: [{ role: 'user', content: 'hello' }], options: { maxTokens: 6 } },
    ] as const) {
      let streamed = '';
      const r = await backend.stream(request, { onText: (t) => (streamed += t) });
      assert.equal(streamed, r.text, request.kind);
      assert.ok(r.usage?.completionTokens !== undefined && r.usage.completionTokens <= 6);
      assert.ok(['stop', 'length'].includes(r.finishReason ?? ''));
      assert.equal(backend.lastStats?.provider, 'cpu');
    }
    const whole = await backend.complete({ kind: 'raw', prompt: 'x = 1', options: { maxTokens: 3 } });
    assert.equal(whole.usage?.completionTokens, 3);
  });
});
