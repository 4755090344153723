import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionStreamReader } from '../../../../src/common/backend/completionStream.ts';
import { BackendError } from '../../../../src/common/backend/backendErrors.ts';

const URL_ = 'http://h/v1/completions';
const chunk = (text: string, finish: string | null = null) => `data: ${JSON.stringify({ model: 'm', choices: [{ text, finish_reason: finish }] })}\n\n`;

describe('CompletionStreamReader', () => {
  test('collects pieces until [DONE] and ignores what follows', () => {
    const r = new CompletionStreamReader(URL_);
    assert.deepEqual(r.push(chunk('a') + chunk('b')), ['a', 'b']);
    assert.deepEqual(r.push(`${chunk('', 'stop')}data: [DONE]\n\n${chunk('late')}`), []);
    assert.equal(r.done, true);
    assert.deepEqual(r.finish(), { text: 'ab', finishReason: 'stop', model: 'm' });
  });

  test('no [DONE] and no finish_reason: STREAM_INCOMPLETE with the partial text', () => {
    const r = new CompletionStreamReader(URL_);
    r.push(chunk('part'));
    assert.throws(() => r.finish(), (e: unknown) => e instanceof BackendError && e.code === 'STREAM_INCOMPLETE' && e.partialText === 'part');
  });

  test('bad JSON names the event', () => {
    const r = new CompletionStreamReader(URL_);
    assert.throws(
      () => r.push('data: {"choices":\n\n'),
      (e: unknown) => e instanceof BackendError && e.code === 'MALFORMED_RESPONSE' && e.message.includes('{\\"choices\\":'),
    );
  });
});
