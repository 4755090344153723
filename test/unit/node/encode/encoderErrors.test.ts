// Every way a folder can be unusable gives an error that names the path and says what is wrong.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openOnnxEncoder } from '../../../../src/node/encode/onnxEncoder.ts';
import { bundleWorkers, copyFolder, tempDir, TINY_DECODER, TINY_ENCODER } from './encoderTestKit.ts';

const rejectsWith = (name: string, message: string | RegExp) => (e: unknown) => {
  assert.ok(e instanceof Error);
  assert.equal(e.name, name, e.message);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
};

describe('openOnnxEncoder errors', () => {
  test('a missing folder', async () => {
    const dir = path.join(tempDir(), 'nope');
    await assert.rejects(openOnnxEncoder(dir), rejectsWith('ModelFolderError', `${dir}: encoder model folder not found`));
  });

  test('a folder without tokenizer.json', async () => {
    const dir = copyFolder(TINY_ENCODER);
    fs.rmSync(path.join(dir, 'tokenizer.json'));
    await assert.rejects(openOnnxEncoder(dir), rejectsWith('ModelFolderError', `${path.join(dir, 'tokenizer.json')}: missing: an encoder folder needs the tokenizer of its model`));
  });

  test('a tokenizer.json that is not a tokenizer', async () => {
    const dir = copyFolder(TINY_ENCODER);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{"broken": ');
    await assert.rejects(openOnnxEncoder(dir, { worker: 'in-process' }), rejectsWith('ModelFolderError', new RegExp(`^${path.join(dir, 'tokenizer.json')}: cannot be read`)));
  });

  test('a folder without the requested ONNX file', async () => {
    const dir = copyFolder(TINY_ENCODER);
    fs.rmSync(path.join(dir, 'onnx', 'model_quantized.onnx'));
    await assert.rejects(openOnnxEncoder(dir, { precision: 'q8' }), rejectsWith('ModelFolderError', `${path.join(dir, 'onnx/model_quantized.onnx')}: missing: expected onnx/model_quantized.onnx`));
    fs.rmSync(path.join(dir, 'onnx', 'model.onnx'));
    await assert.rejects(openOnnxEncoder(dir), rejectsWith('ModelFolderError', `${path.join(dir, 'onnx/')}: missing: expected onnx/model_quantized.onnx or onnx/model.onnx`));
  });

  test('a corrupt .onnx file (in the worker: the error crosses the thread with its name)', async () => {
    const { worker } = await bundleWorkers();
    const dir = copyFolder(TINY_ENCODER);
    const file = path.join(dir, 'onnx', 'model.onnx');
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 5000));
    await assert.rejects(
      openOnnxEncoder(dir, { precision: 'fp32', provider: 'cpu', worker }),
      rejectsWith('ModelLoadError', `${file}: cannot be loaded by onnxruntime: Load model from ${file} failed:Protobuf parsing failed.`),
    );
  });

  test('a graph with the wrong inputs and outputs (a decoder in an encoder folder)', async () => {
    const dir = copyFolder(TINY_ENCODER);
    const file = path.join(dir, 'onnx', 'model.onnx');
    fs.copyFileSync(path.join(TINY_DECODER, 'onnx', 'model.onnx'), file);
    await assert.rejects(
      openOnnxEncoder(dir, { precision: 'fp32', provider: 'cpu', worker: 'in-process' }),
      rejectsWith('EncoderGraphError', new RegExp(`^${file}: not a sentence-encoder graph: it has inputs \\[input_ids, attention_mask, position_ids, past_key_values.0.key, .*\\], outputs \\[logits, present.0.key, .*\\]; expected inputs input_ids, attention_mask\\[, token_type_ids\\] and output last_hidden_state$`)),
    );
  });

  test('a graph whose hidden size disagrees with config.json', async () => {
    const dir = copyFolder(TINY_ENCODER);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, hidden_size: 384 }));
    await assert.rejects(openOnnxEncoder(dir, { precision: 'fp32', provider: 'cpu', worker: 'in-process' }), rejectsWith('EncoderGraphError', /last_hidden_state has hidden size 32 but config.json says hidden_size 384/));
  });
});
