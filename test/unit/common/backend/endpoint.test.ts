import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeEndpoint, redactUrl } from '../../../../src/common/backend/endpoint.ts';
import { BackendError } from '../../../../src/common/backend/backendErrors.ts';

describe('normalizeEndpoint', () => {
  test('a bare origin gets /v1; /v1 and proxies are kept; pasted routes are cut back', () => {
    assert.equal(normalizeEndpoint('http://127.0.0.1:11434'), 'http://127.0.0.1:11434/v1');
    assert.equal(normalizeEndpoint(' http://localhost:8080/ '), 'http://localhost:8080/v1');
    assert.equal(normalizeEndpoint('http://localhost:8080/v1/'), 'http://localhost:8080/v1');
    assert.equal(normalizeEndpoint('https://gw.example.com/openai/v1'), 'https://gw.example.com/openai/v1');
    assert.equal(normalizeEndpoint('http://h:1234/v1/chat/completions'), 'http://h:1234/v1');
    assert.equal(normalizeEndpoint('http://h:1234/v1/completions'), 'http://h:1234/v1');
  });

  test('rejects other schemes, credentials, queries and non-URLs, naming the setting', () => {
    const bad = ['ftp://h/v1', 'file:///tmp/x', 'http://user:pw@h/v1', 'http://h/v1?key=1', 'localhost:11434', ''];
    for (const raw of bad) {
      assert.throws(
        () => normalizeEndpoint(raw),
        (e: unknown) => e instanceof BackendError && e.code === 'INVALID_ENDPOINT' && e.message.includes('squeeze.backend.endpoint'),
        raw,
      );
    }
  });

  test('credentials never appear in the error', () => {
    assert.throws(() => normalizeEndpoint('http://bob:hunter2@h/v1'), (e: unknown) => e instanceof Error && !e.message.includes('hunter2'));
    assert.equal(redactUrl('https://bob:pw@h/x'), 'https://***@h/x');
  });
});
