import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chatPrompt } from '../../../../src/common/generate/chatFormat.ts';

describe('chatPrompt', () => {
  const turns = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] as const;
  test('ChatML when the tokenizer has its markers', () => {
    const p = chatPrompt(turns, (t) => t === '<|im_start|>' || t === '<|im_end|>');
    assert.deepEqual(p.pieces.slice(0, 4), [{ special: '<|im_start|>' }, { text: 'system\nBe brief.' }, { special: '<|im_end|>' }, { text: '\n' }]);
    assert.deepEqual(p.pieces.slice(-2), [{ special: '<|im_start|>' }, { text: 'assistant\n' }]);
    assert.deepEqual(p.stopTokens, ['<|im_end|>']);
  });
  test('a plain transcript otherwise', () => {
    const p = chatPrompt(turns, () => false);
    assert.deepEqual(p.pieces, [{ text: 'System: Be brief.\nUser: Hi\nAssistant:' }]);
    assert.deepEqual(p.stop, ['\nUser:', '\nSystem:']);
  });
});
