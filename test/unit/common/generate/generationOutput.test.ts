import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenEvent } from '../../../../src/common/generate/generateTypes.ts';
import { GenerationOutput, IncrementalDetokenizer } from '../../../../src/common/generate/generationOutput.ts';
import type { TokenDecoder } from '../../../../src/common/generate/generationOutput.ts';
import { StopMatcher } from '../../../../src/common/generate/stopMatcher.ts';

/** Byte tokens: id = one UTF-8 byte, so multi-byte characters span tokens like byte-level BPE. */
const BYTES: TokenDecoder = { decode: (ids) => new TextDecoder().decode(Uint8Array.from(ids)) };
const bytes = (s: string) => [...new TextEncoder().encode(s)];

describe('StopMatcher', () => {
  test('holds back a possible stop prefix and cuts at the stop', () => {
    const m = new StopMatcher(['\n\n', 'END']);
    assert.deepEqual(m.push('abc\n'), { emit: 'abc', stopped: false });
    assert.deepEqual(m.push('x'), { emit: '\nx', stopped: false });
    assert.deepEqual(m.push('E'), { emit: '', stopped: false });
    assert.deepEqual(m.push('NDtail'), { emit: '', stopped: true });
  });

  test('flush returns what was held', () => {
    const m = new StopMatcher(['STOP']);
    assert.deepEqual(m.push('go ST'), { emit: 'go ', stopped: false });
    assert.equal(m.flush(), 'ST');
  });
});

describe('IncrementalDetokenizer', () => {
  test('never emits half a character', () => {
    const d = new IncrementalDetokenizer(BYTES);
    const out = bytes('añ€b').map((id) => d.push(id));
    assert.deepEqual(out, ['a', '', 'ñ', '', '', '€', 'b']);
    assert.equal(d.flush(), '');
  });
});

describe('GenerationOutput', () => {
  const make = (o: { stop?: string[]; maxTokens?: number; stopIds?: number[] }, events: TokenEvent[]) =>
    new GenerationOutput({ decoder: BYTES, stopIds: new Set(o.stopIds ?? []), stop: o.stop ?? [], maxTokens: o.maxTokens ?? 100, onToken: (e) => events.push(e) });

  test('eos ends without being part of the output', () => {
    const events: TokenEvent[] = [];
    const out = make({ stopIds: [0] }, events);
    assert.equal(out.push(104), true);
    assert.equal(out.push(0), false);
    assert.equal(out.finishReason, 'eos');
    assert.deepEqual(out.tokenIds, [104]);
    assert.equal(out.text, 'h');
    assert.equal(out.push(105), false, 'nothing after the end');
  });

  test('stop sequences across tokens; streamed text equals the final text', () => {
    const events: TokenEvent[] = [];
    const out = make({ stop: ['\n\n'] }, events);
    for (const id of bytes('line\n\nmore')) if (!out.push(id)) break;
    assert.equal(out.finishReason, 'stop');
    assert.equal(out.text, 'line');
    assert.equal(events.map((e) => e.text).join(''), 'line');
  });

  test('max tokens, and held text is flushed at the end', () => {
    const events: TokenEvent[] = [];
    const out = make({ stop: ['xyz'], maxTokens: 3 }, events);
    out.push(97);
    out.push(120);
    assert.equal(out.remaining, 1);
    assert.equal(out.push(121), false);
    assert.equal(out.finishReason, 'length');
    assert.equal(out.text, 'axy');
    assert.deepEqual(events[events.length - 1], { text: 'xy' });
  });

  test('maxTokens 0 is done before any token', () => {
    assert.equal(make({ maxTokens: 0 }, []).done, true);
  });
});
