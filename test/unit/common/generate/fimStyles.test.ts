import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFimStyle, FIM_STYLES, fimPieces, fimPromptText, fimStyleForModel } from '../../../../src/common/generate/fimStyles.ts';

const has = (tokens: string[]) => (t: string) => tokens.includes(t);
const by = (id: string) => FIM_STYLES.find((s) => s.id === id)!;

describe('FIM styles', () => {
  test('each style is detected from its own tokens (CodeGemma shares Qwen\'s, so the Qwen row wins)', () => {
    for (const s of FIM_STYLES) assert.equal(detectFimStyle(has([s.prefix, s.suffix, s.middle, 'x']))?.id, s.id === 'codegemma' ? 'qwen' : s.id);
    assert.equal(detectFimStyle(has(['<|fim_prefix|>', '<|fim_suffix|>'])), undefined, 'all three markers are needed');
    assert.equal(detectFimStyle(has([])), undefined);
  });

  test('pieces are prefix-suffix-middle, empty text is left out', () => {
    const qwen = FIM_STYLES[0]!;
    assert.deepEqual(fimPieces(qwen, 'a(', ')'), [{ special: '<|fim_prefix|>' }, { text: 'a(' }, { special: '<|fim_suffix|>' }, { text: ')' }, { special: '<|fim_middle|>' }]);
    assert.deepEqual(fimPieces(qwen, '', ''), [{ special: '<|fim_prefix|>' }, { special: '<|fim_suffix|>' }, { special: '<|fim_middle|>' }]);
  });

  test('prompt text for HTTP backends', () => {
    assert.equal(fimPromptText(by('qwen'), 'P', 'S'), '<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>');
    assert.equal(fimPromptText(by('starcoder'), 'P', 'S'), '<fim_prefix>P<fim_suffix>S<fim_middle>');
    assert.equal(fimPromptText(by('deepseek'), 'P', 'S'), '<｜fim▁begin｜>P<｜fim▁hole｜>S<｜fim▁end｜>');
    assert.equal(fimPromptText(by('codellama'), 'P', 'S'), '<PRE> P <SUF>S <MID>');
    assert.equal(fimPromptText(by('codegemma'), 'P', 'S'), '<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>');
  });

  test('marker-like text inside the code stays as typed', () => {
    assert.equal(fimPromptText(by('qwen'), 'a{suffix}', 'b'), '<|fim_prefix|>a{suffix}<|fim_suffix|>b<|fim_middle|>');
    assert.equal(fimPromptText(by('codellama'), 'x = ', '\n'), '<PRE> x =  <SUF>\n <MID>');
  });

  test('server model names map to styles', () => {
    assert.equal(fimStyleForModel('qwen2.5-coder:1.5b')?.id, 'qwen');
    assert.equal(fimStyleForModel('Qwen/Qwen2.5-Coder-1.5B')?.id, 'qwen');
    assert.equal(fimStyleForModel('bigcode/starcoder2-3b')?.id, 'starcoder');
    assert.equal(fimStyleForModel('deepseek-coder:1.3b-base')?.id, 'deepseek');
    assert.equal(fimStyleForModel('codellama:7b-code')?.id, 'codellama');
    assert.equal(fimStyleForModel('codegemma:2b')?.id, 'codegemma');
    assert.equal(fimStyleForModel('llama3.1:8b'), undefined);
  });

  test('server stop sequences are decoded text, without sentencepiece marks', () => {
    for (const s of FIM_STYLES) assert.ok(s.serverStops.length > 0 && s.serverStops.every((t) => !t.startsWith('▁')), s.id);
  });
});
