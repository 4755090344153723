import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModelFolder, ModelFolderError } from '../../../../src/node/generate/modelFolder.ts';
import { OnnxDecoder } from '../../../../src/node/generate/onnxDecoder.ts';
import { ModelLoadError } from '../../../../src/node/generate/sessionFactory.ts';
import { TINY_DECODER } from './tinyModel.ts';

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-model-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let copies = 0;
/** A fresh copy of the tiny decoder folder, changed by `edit`. */
function copy(edit: (dir: string) => void): string {
  const dir = path.join(tmp, `m${copies++}`);
  fs.cpSync(TINY_DECODER, dir, { recursive: true });
  edit(dir);
  return dir;
}

async function folderError(dir: string, precision: 'auto' | 'fp32' | 'q8' = 'auto'): Promise<ModelFolderError> {
  const e = await loadModelFolder(dir, { precision }).then(
    () => assert.fail('expected an error'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof ModelFolderError, String(e));
  return e;
}

describe('loadModelFolder', () => {
  test('reads the tiny decoder: context length, RoPE, eos, FIM style, precision', async () => {
    const f = await loadModelFolder(TINY_DECODER);
    assert.equal(f.precision, 'q8');
    assert.ok(f.onnxFile.endsWith(path.join('onnx', 'model_quantized.onnx')));
    assert.equal(f.config.contextLength, 4096);
    assert.deepEqual(f.config.rope, { theta: 10000, headDim: 16, scaling: null });
    assert.equal(f.config.kvHeads, 2);
    assert.deepEqual(f.eosTokenIds, [f.tokenizer.tokenId('<|endoftext|>')]);
    assert.equal(f.fim?.style.id, 'qwen');
    assert.ok(f.fim.stopIds.includes(f.tokenizer.tokenId('<|fim_pad|>')!));
    const fp32 = await loadModelFolder(TINY_DECODER, { precision: 'fp32' });
    assert.ok(fp32.onnxFile.endsWith(path.join('onnx', 'model.onnx')));
  });

  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    test(`a missing ${file} is named`, async () => {
      const e = await folderError(copy((d) => fs.rmSync(path.join(d, file))));
      assert.equal(e.file, file);
      assert.match(e.message, new RegExp(`${file.replace('.', '\\.')}: missing`));
    });
    test(`a malformed ${file} is named`, async () => {
      const e = await folderError(copy((d) => fs.writeFileSync(path.join(d, file), '{"model": ')));
      assert.equal(e.file, file);
      assert.match(e.message, /not valid JSON/);
    });
  }

  test('a missing ONNX file is named for the chosen precision', async () => {
    const dir = copy((d) => fs.rmSync(path.join(d, 'onnx', 'model.onnx')));
    assert.equal((await folderError(dir, 'fp32')).file, path.join('onnx', 'model.onnx'));
    assert.equal((await loadModelFolder(dir, { precision: 'auto' })).precision, 'q8');
    const none = copy((d) => fs.rmSync(path.join(d, 'onnx'), { recursive: true }));
    assert.match((await folderError(none)).message, /expected onnx\/model_quantized\.onnx or onnx\/model\.onnx/);
  });

  test('a config without vocab_size or with a bad field names the file and the field', async () => {
    const edit = (change: (c: Record<string, unknown>) => void) =>
      copy((d) => {
        const p = path.join(d, 'config.json');
        const c = JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, unknown>;
        change(c);
        fs.writeFileSync(p, JSON.stringify(c));
      });
    const e1 = await folderError(edit((c) => delete c['vocab_size']));
    assert.equal(e1.file, 'config.json');
    assert.match(e1.message, /vocab_size: missing/);
    const e2 = await folderError(edit((c) => (c['rope_theta'] = 'big')));
    assert.match(e2.message, /config\.json: rope_theta/);
    const e3 = await folderError(edit((c) => (c['vocab_size'] = 100)));
    assert.equal(e3.file, 'tokenizer.json');
    assert.match(e3.message, /768 tokens but config\.json vocab_size is 100/);
  });

  test('a folder that does not exist says so', async () => {
    const e = await folderError(path.join(tmp, 'nope'));
    assert.match(e.message, /model folder not found/);
  });

  test('a corrupt ONNX file (random bytes) is named by the loader', async () => {
    const dir = copy((d) => {
      const bytes = Buffer.alloc(4096);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 0xff;
      fs.writeFileSync(path.join(d, 'onnx', 'model.onnx'), bytes);
    });
    await assert.rejects(OnnxDecoder.load(dir, { precision: 'fp32', provider: 'cpu' }), (e: unknown) => {
      assert.ok(e instanceof ModelLoadError);
      assert.ok(e.file.endsWith(path.join('onnx', 'model.onnx')));
      assert.match(e.message, /model\.onnx: cannot be loaded by onnxruntime/);
      return true;
    });
  });
});
