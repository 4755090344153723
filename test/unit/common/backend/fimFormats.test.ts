import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FIM_FORMATS, fimFormatForModel, formatFimPrompt } from '../../../../src/common/backend/fimFormats.ts';

describe('FIM formats', () => {
  test('model names map to formats', () => {
    assert.equal(fimFormatForModel('qwen2.5-coder:1.5b')?.id, 'qwen');
    assert.equal(fimFormatForModel('Qwen/Qwen2.5-Coder-1.5B')?.id, 'qwen');
    assert.equal(fimFormatForModel('bigcode/starcoder2-3b')?.id, 'starcoder');
    assert.equal(fimFormatForModel('deepseek-coder:1.3b-base')?.id, 'deepseek');
    assert.equal(fimFormatForModel('codellama:7b-code')?.id, 'codellama');
    assert.equal(fimFormatForModel('llama3.1:8b'), undefined);
  });

  test('prompts are filled in one pass: placeholders inside the code stay as typed', () => {
    const qwen = FIM_FORMATS.qwen;
    const cl = FIM_FORMATS.codellama;
    assert.ok(qwen && cl);
    assert.equal(formatFimPrompt('a{suffix}', 'b', qwen), '<|fim_prefix|>a{suffix}<|fim_suffix|>b<|fim_middle|>');
    assert.equal(formatFimPrompt('x = ', '\n', cl), '<PRE> x =  <SUF>\n <MID>');
  });
});
