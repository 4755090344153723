import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectEncoderFolder } from '../../../../src/node/encode/encoderFolder.ts';
import { EncoderTokenizer } from '../../../../src/node/encode/encoderTokenizer.ts';
import { TINY_ENCODER } from './encoderTestKit.ts';

describe('EncoderTokenizer', () => {
  test('adds [CLS] … [SEP]; truncates to maxTokens keeping the closing [SEP]', async () => {
    const tok = new EncoderTokenizer(await inspectEncoderFolder(TINY_ENCODER, { maxTokens: 16 }));
    const short = tok.encode('def add(a, b)');
    assert.equal(short.ids[0], 2, '[CLS]');
    assert.equal(short.ids.at(-1), 3, '[SEP]');
    assert.deepEqual(short.typeIds, short.ids.map(() => 0));
    const long = tok.encode('return a + b '.repeat(50));
    assert.equal(long.ids.length, 16);
    assert.equal(long.ids[0], 2);
    assert.equal(long.ids[15], 3);
    assert.deepEqual(long.ids.slice(0, 15), tok.encode('return a + b '.repeat(5)).ids.slice(0, 15));
  });

  test('a very long text is cut at a space before tokenizing, with the same tokens kept', async () => {
    const tok = new EncoderTokenizer(await inspectEncoderFolder(TINY_ENCODER, { maxTokens: 32 }));
    const text = 'const value = compute(alpha, beta); '.repeat(2000);
    const cut = tok.encode(text);
    assert.equal(cut.ids.length, 32);
    assert.deepEqual(cut.ids, tok.encode(text.slice(0, 400)).ids, 'the first 31 tokens and [SEP]');
    const spaces = `${' '.repeat(5000)}x`; // nothing but spaces before the limit: tokenized whole
    assert.deepEqual(tok.encode(spaces).ids, tok.encode('x').ids);
  });

  test('the token limit is the least of config.json, tokenizer_config.json and the option', async () => {
    assert.equal((await inspectEncoderFolder(TINY_ENCODER)).maxTokens, 512);
    assert.equal((await inspectEncoderFolder(TINY_ENCODER, { maxTokens: 4096 })).maxTokens, 512);
    assert.equal((await inspectEncoderFolder(TINY_ENCODER, { maxTokens: 128 })).maxTokens, 128);
    await assert.rejects(inspectEncoderFolder(TINY_ENCODER, { maxTokens: 1 }), /maxTokens must be an integer >= 2/);
  });
});
