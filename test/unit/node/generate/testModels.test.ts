// The committed test models (built by scripts/models/buildTestModels.py) match their tokenizers and I/O contract.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelTokenizer } from '../../../../src/node/generate/modelTokenizer.ts';
import { TINY_DECODER, TINY_ENCODER } from './tinyModel.ts';

const readJson = (dir: string, f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as object;
const tokenizer = (dir: string) => new ModelTokenizer(readJson(dir, 'tokenizer.json'), readJson(dir, 'tokenizer_config.json'));

describe('test models', () => {
  test('every committed file is under 2 MB', () => {
    for (const dir of [TINY_DECODER, TINY_ENCODER]) {
      for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())) {
        assert.ok(fs.statSync(path.join(f.parentPath, f.name)).size < 2 * 1024 * 1024, f.name);
      }
    }
  });

  test('decoder tokenizer: byte-level BPE round trip, FIM tokens are single ids', () => {
    const tok = tokenizer(TINY_DECODER);
    const text = 'def add(a, b):\n    return a + b  # ünïcode €\n';
    assert.equal(tok.decode(tok.encode(text)), text);
    assert.equal(tok.size, 768);
    for (const s of ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|endoftext|>']) {
      assert.deepEqual(tok.encode(s), [tok.tokenId(s)]);
    }
  });

  test('encoder: WordPiece tokenizer and last_hidden_state output', async () => {
    const tok = tokenizer(TINY_ENCODER);
    assert.ok(!tok.decode(tok.encode('function parseJSON(str) { return 1; }')).includes('[UNK]'));
    for (const file of ['model.onnx', 'model_quantized.onnx']) {
      const s = await InferenceSession.create(path.join(TINY_ENCODER, 'onnx', file), { intraOpNumThreads: 1 });
      const n = 6;
      const i64 = (v: number) => new Tensor('int64', new BigInt64Array(n).fill(BigInt(v)), [1, n]);
      const out = await s.run({ input_ids: i64(7), attention_mask: i64(1), token_type_ids: i64(0) });
      assert.deepEqual(out['last_hidden_state']?.dims, [1, n, 32]);
      await s.release();
    }
  });
});
