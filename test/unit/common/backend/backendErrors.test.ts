import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND_ERROR_CODES, BACKEND_ERROR_MESSAGES, BackendError, codeForStatus } from '../../../../src/common/backend/backendErrors.ts';

describe('backend errors', () => {
  test('every code has a message that names the URL and reads without "undefined"', () => {
    for (const code of BACKEND_ERROR_CODES) {
      const m = BACKEND_ERROR_MESSAGES[code]({ url: 'http://h/v1/completions', status: 500, timeoutMs: 1500, detail: 'why', partialText: 'abc' });
      assert.doesNotMatch(m, /undefined|NaN/, code);
      assert.ok(m.includes('http://h/v1') || m.includes('squeeze.backend.endpoint') || code === 'SERVER_ERROR', code);
    }
  });

  test('status codes map to codes', () => {
    assert.deepEqual([401, 403, 404, 429, 400, 422, 500, 503].map(codeForStatus), [
      'UNAUTHORIZED', 'UNAUTHORIZED', 'NOT_FOUND', 'RATE_LIMITED', 'BAD_REQUEST', 'BAD_REQUEST', 'SERVER_ERROR', 'SERVER_ERROR',
    ]);
  });

  test('partial output is reported as such', () => {
    const e = new BackendError('STREAM_INCOMPLETE', { url: 'http://h/v1/completions', detail: 'it closed without [DONE]' }).withPartialText('hello');
    assert.equal(e.partialText, 'hello');
    assert.match(e.message, /closed without \[DONE\]\. The 5 characters received are partial output\./);
  });

  test('attaching partial text keeps the rest of the context, and surfaces can word it with their own names', () => {
    const idle = new BackendError('IDLE_TIMEOUT', { url: 'http://h/v1', timeoutMs: 1500 }).withPartialText('ab');
    assert.match(idle.message, /stopped sending for 1\.5s/);
    assert.match(idle.message, /The 2 characters received are partial output/);
    const refused = new BackendError('CONNECTION_REFUSED', { url: 'http://h/v1' });
    assert.match(refused.message, /change squeeze\.backend\.endpoint\.$/);
    assert.match(refused.messageFor({ endpointSubject: '--endpoint', endpoint: '--endpoint', apiKeyAdvice: '' }), /change --endpoint\.$/);
  });
});
