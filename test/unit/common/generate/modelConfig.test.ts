import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigFieldError, parseDecoderConfig } from '../../../../src/common/generate/modelConfig.ts';
import { commonPrefixLength, sequentialPositions } from '../../../../src/common/generate/prefixMatch.ts';

const QWEN = {
  model_type: 'qwen2', vocab_size: 151936, hidden_size: 896, num_hidden_layers: 24, num_attention_heads: 14,
  num_key_value_heads: 2, max_position_embeddings: 32768, rope_theta: 1000000.0, rope_scaling: null, eos_token_id: 151643, bos_token_id: 151643,
};

describe('parseDecoderConfig', () => {
  test('Qwen2.5-Coder-0.5B config', () => {
    const c = parseDecoderConfig(QWEN, { eos_token_id: [151643, 151645] });
    assert.equal(c.headDim, 64);
    assert.equal(c.kvHeads, 2);
    assert.equal(c.contextLength, 32768);
    assert.deepEqual(c.rope, { theta: 1000000, headDim: 64, scaling: null });
    assert.deepEqual(c.eosTokenIds, [151643, 151645]);
    assert.equal(c.bosTokenId, 151643);
  });

  test('defaults: kv heads = heads, rope_theta 10000, explicit head_dim and rope_scaling kept', () => {
    const c = parseDecoderConfig({ ...QWEN, num_key_value_heads: undefined, rope_theta: undefined, head_dim: 128, rope_scaling: { type: 'linear', factor: 2 } });
    assert.equal(c.kvHeads, 14);
    assert.equal(c.rope.theta, 10000);
    assert.equal(c.headDim, 128);
    assert.deepEqual(c.rope.scaling, { type: 'linear', factor: 2 });
  });

  test('errors name the field', () => {
    const err = (c: unknown, field: string) =>
      assert.throws(() => parseDecoderConfig(c), (e: unknown) => e instanceof ConfigFieldError && e.field === field);
    err({ ...QWEN, vocab_size: undefined }, 'vocab_size');
    err({ ...QWEN, num_hidden_layers: 2.5 }, 'num_hidden_layers');
    err({ ...QWEN, max_position_embeddings: undefined }, 'max_position_embeddings');
    err({ ...QWEN, eos_token_id: 'x' }, 'eos_token_id');
    err({ ...QWEN, rope_scaling: 3 }, 'rope_scaling');
    err([], 'config');
  });
});

describe('commonPrefixLength', () => {
  test('ids and positions must both match', () => {
    const a = { ids: [1, 2, 3, 4], positions: sequentialPositions(4) };
    assert.equal(commonPrefixLength(a, { ids: [1, 2, 3, 9], positions: sequentialPositions(4) }), 3);
    assert.equal(commonPrefixLength(a, { ids: [1, 2, 3, 4], positions: [0, 1, 1, 2] }), 2);
    assert.equal(commonPrefixLength(a, { ids: [1, 2], positions: sequentialPositions(2) }), 2);
    assert.deepEqual(sequentialPositions(3, 5), [5, 6, 7]);
  });
});
