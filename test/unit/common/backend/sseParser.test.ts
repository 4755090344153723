import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SseParser } from '../../../../src/common/backend/sseParser.ts';
import type { SseEvent } from '../../../../src/common/backend/sseParser.ts';

const enc = new TextEncoder();

function parseAll(chunks: readonly (Uint8Array | string)[]): SseEvent[] {
  const p = new SseParser();
  const out = chunks.flatMap((c) => p.push(c));
  return [...out, ...p.end()];
}

/** Cuts `bytes` at the given (sorted, deduplicated) offsets. */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  return out;
}

describe('SseParser', () => {
  test('data lines, [DONE], comments, event and id fields', () => {
    const events = parseAll([': ping\n\nevent: delta\nid: 7\ndata: {"a":1}\n\ndata: [DONE]\n\n']);
    assert.deepEqual(events, [
      { event: 'delta', data: '{"a":1}', id: '7' },
      { event: 'message', data: '[DONE]', id: '7' },
    ]);
  });

  test('multi-line data is joined with newlines; one leading space is dropped, not two', () => {
    assert.deepEqual(parseAll(['data: a\ndata:  b\ndata:c\ndata\n\n']), [{ event: 'message', data: 'a\n b\nc\n' }]);
  });

  test('CRLF, lone CR and LF line endings, including a CR at the end of a chunk', () => {
    assert.deepEqual(parseAll(['data: x\r', '\n\r', '\ndata: y\r\rdata: z\n\n']), [
      { event: 'message', data: 'x' },
      { event: 'message', data: 'y' },
      { event: 'message', data: 'z' },
    ]);
  });

  test('a UTF-8 sequence split across chunks decodes once whole', () => {
    const bytes = enc.encode('data: 🙂世\n\n');
    assert.deepEqual(parseAll(split(bytes, [7, 8, 9, 11, 12])), [{ event: 'message', data: '🙂世' }]);
  });

  test('retry is read, blank events are not dispatched, unknown fields are ignored', () => {
    const p = new SseParser();
    assert.deepEqual(p.push('retry: 1500\nfoo: bar\n\n\n'), []);
    assert.equal(p.retryMs, 1500);
  });

  test('at the end, a complete event without its blank line is dispatched; a cut line is dropped', () => {
    assert.deepEqual(parseAll(['data: whole\n']), [{ event: 'message', data: 'whole' }]);
    assert.deepEqual(parseAll(['data: whole\n\ndata: {"cut']), [{ event: 'message', data: 'whole' }]);
  });

  test('a BOM at the start of the stream is ignored', () => {
    assert.deepEqual(parseAll([new Uint8Array([0xef, 0xbb, 0xbf]), 'data: a\n\n']), [{ event: 'message', data: 'a' }]);
  });
});

const value = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const field = fc.oneof(
  fc.record({ kind: fc.constant('data' as const), value }),
  fc.record({ kind: fc.constant('event' as const), value: value.filter((s) => s.length > 0) }),
  fc.record({ kind: fc.constant('comment' as const), value }),
);
const eventSpec = fc.array(field, { minLength: 1, maxLength: 4 });

interface Field {
  readonly kind: 'data' | 'event' | 'comment';
  readonly value: string;
}

function serialize(events: readonly (readonly Field[])[], eol: string): string {
  return events
    .map((fields) => fields.map((f) => (f.kind === 'comment' ? `:${f.value}` : `${f.kind}: ${f.value}`) + eol).join('') + eol)
    .join('');
}

function expected(events: readonly (readonly Field[])[]): SseEvent[] {
  const out: SseEvent[] = [];
  for (const fields of events) {
    const data = fields.filter((f) => f.kind === 'data').map((f) => f.value);
    const type = fields.filter((f) => f.kind === 'event').at(-1)?.value ?? 'message';
    if (data.length > 0) out.push({ event: type, data: data.join('\n') });
  }
  return out;
}

describe('SseParser (property)', () => {
  test('any split of a valid stream yields the events of the whole stream', () => {
    const cuts = fc.array(fc.nat(), { maxLength: 40 });
    fc.assert(
      fc.property(fc.array(eventSpec, { maxLength: 6 }), lineEnd, cuts, (events, eol, cutAt) => {
        const bytes = enc.encode(serialize(events, eol));
        const whole = parseAll([bytes]);
        assert.deepEqual(whole, expected(events));
        assert.deepEqual(parseAll(split(bytes, cutAt)), whole);
      }),
      { numRuns: 300 },
    );
  });

  test('splitting into single bytes matches the whole, with mixed line endings', () => {
    const mixed = fc.array(fc.tuple(eventSpec, lineEnd), { maxLength: 5 });
    fc.assert(
      fc.property(mixed, (events) => {
        const text = events.map(([fields, eol]) => serialize([fields], eol)).join('');
        const bytes = enc.encode(text);
        const singles = Array.from(bytes, (b) => new Uint8Array([b]));
        assert.deepEqual(parseAll(singles), parseAll([bytes]));
      }),
      { numRuns: 200 },
    );
  });
});
