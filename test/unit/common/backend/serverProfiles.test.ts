import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_KINDS, SERVER_PROFILES, detectServerKind, parseModelsList } from '../../../../src/common/backend/serverProfiles.ts';
import { normalizeEndpoint } from '../../../../src/common/backend/endpoint.ts';

describe('server profiles', () => {
  test('every profile is keyed by its kind and has a valid default endpoint', () => {
    for (const kind of SERVER_KINDS) {
      const p = SERVER_PROFILES[kind];
      assert.equal(p.kind, kind);
      assert.equal(normalizeEndpoint(p.defaultEndpoint), p.defaultEndpoint);
    }
    assert.equal(SERVER_PROFILES.ollama.supportsSuffix, true);
    assert.equal(SERVER_PROFILES.llamacpp.requiresModel, false);
  });

  test('parseModelsList keeps ids, owned_by and extra keys; rejects non-lists', () => {
    const list = parseModelsList({ data: [{ id: 'a', object: 'model', owned_by: 'vllm', max_model_len: 4096 }, { nope: 1 }, 'x'] });
    assert.deepEqual(list, [{ id: 'a', ownedBy: 'vllm', keys: ['max_model_len'] }]);
    assert.equal(parseModelsList({ models: [] }), undefined);
    assert.equal(parseModelsList(null), undefined);
  });

  test('detection: server header first, then owned_by, then extra keys, else generic', () => {
    assert.equal(detectServerKind([{ id: 'a', ownedBy: 'library', keys: [] }], 'llama.cpp'), 'llamacpp');
    assert.equal(detectServerKind([{ id: 'a', ownedBy: 'library', keys: [] }], undefined), 'ollama');
    assert.equal(detectServerKind([{ id: 'a', keys: ['max_model_len'] }], undefined), 'vllm');
    assert.equal(detectServerKind([], 'nginx'), 'generic');
  });
});
