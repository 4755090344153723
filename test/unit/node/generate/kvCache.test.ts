import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from 'onnxruntime-node';
import { bytesPerToken, KvCache } from '../../../../src/node/generate/kvCache.ts';
import type { KvLayout } from '../../../../src/node/generate/kvCache.ts';

const LAYOUT: KvLayout = { pastNames: ['past_key_values.0.key', 'past_key_values.0.value'], presentNames: ['present.0.key', 'present.0.value'], kvHeads: 2, headDim: 3, type: 'float32' };

/** A cache of `length` positions whose value encodes (tensor, head, position, dim). */
function cacheOf(length: number): KvCache {
  const outputs: Record<string, Tensor> = {};
  LAYOUT.presentNames.forEach((n, t) => {
    const data = new Float32Array(2 * length * 3);
    for (let h = 0; h < 2; h++) for (let p = 0; p < length; p++) for (let d = 0; d < 3; d++) data[(h * length + p) * 3 + d] = t * 1000 + h * 100 + p * 10 + d;
    outputs[n] = new Tensor('float32', data, [1, 2, length, 3]);
  });
  return KvCache.fromOutputs(LAYOUT, outputs);
}

describe('KvCache', () => {
  test('truncate keeps the first positions of every head', () => {
    const c = cacheOf(5).truncate(2);
    assert.equal(c.length, 2);
    const key = c.feeds()['past_key_values.0.key']!;
    assert.deepEqual(key.dims, [1, 2, 2, 3]);
    assert.deepEqual([...(key.data as Float32Array)], [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
    assert.equal((c.feeds()['past_key_values.0.value']!.data as Float32Array)[0], 1000);
  });

  test('empty, no-op and zero-length truncation; byte size', () => {
    const c = cacheOf(4);
    assert.equal(c.truncate(9), c);
    assert.equal(c.truncate(0).length, 0);
    assert.deepEqual(KvCache.empty(LAYOUT).feeds()['past_key_values.0.key']!.dims, [1, 2, 0, 3]);
    assert.equal(bytesPerToken(LAYOUT), 2 * 2 * 3 * 4);
    assert.equal(c.bytes, 4 * 48);
  });
});
