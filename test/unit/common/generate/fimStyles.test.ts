import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFimStyle, FIM_STYLES, fimPieces, fimPromptText } from '../../../../src/common/generate/fimStyles.ts';

const has = (tokens: string[]) => (t: string) => tokens.includes(t);

describe('FIM styles', () => {
  test('each style is detected from its own tokens', () => {
    for (const s of FIM_STYLES) assert.equal(detectFimStyle(has([s.prefix, s.suffix, s.middle, 'x']))?.id, s.id);
    assert.equal(detectFimStyle(has(['<|fim_prefix|>', '<|fim_suffix|>'])), undefined, 'all three markers are needed');
    assert.equal(detectFimStyle(has([])), undefined);
  });

  test('pieces are prefix-suffix-middle, empty text is left out', () => {
    const qwen = FIM_STYLES[0]!;
    assert.deepEqual(fimPieces(qwen, 'a(', ')'), [{ special: '<|fim_prefix|>' }, { text: 'a(' }, { special: '<|fim_suffix|>' }, { text: ')' }, { special: '<|fim_middle|>' }]);
    assert.deepEqual(fimPieces(qwen, '', ''), [{ special: '<|fim_prefix|>' }, { special: '<|fim_suffix|>' }, { special: '<|fim_middle|>' }]);
  });

  test('prompt text for HTTP backends', () => {
    const by = (id: string) => FIM_STYLES.find((s) => s.id === id)!;
    assert.equal(fimPromptText(by('qwen'), 'P', 'S'), '<|fim_prefix|>P<|fim_suffix|>S<|fim_middle|>');
    assert.equal(fimPromptText(by('starcoder'), 'P', 'S'), '<fim_prefix>P<fim_suffix>S<fim_middle>');
    assert.equal(fimPromptText(by('deepseek'), 'P', 'S'), '<｜fim▁begin｜>P<｜fim▁hole｜>S<｜fim▁end｜>');
    assert.equal(fimPromptText(by('codellama'), 'P', 'S'), '<PRE> P <SUF>S <MID>');
  });
});
