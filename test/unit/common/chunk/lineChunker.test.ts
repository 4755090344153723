import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkByLines, lineChunkSpans } from '../../../../src/common/chunk/lineChunker.ts';
import { groupPieces } from '../../../../src/common/chunk/pieceGrouping.ts';
import { estimateTokens, maxCharsForTokens } from '../../../../src/common/chunk/estimateTokens.ts';

const texts = (text: string, spans: readonly { start: number; end: number }[]) => spans.map((s) => text.slice(s.start, s.end));

test('estimateTokens: ceil(chars / 3.5); maxCharsForTokens is its inverse bound', () => {
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens('abc'), 1);
  assert.equal(estimateTokens('abcd'), 2);
  assert.equal(estimateTokens(7), 2);
  for (const t of [1, 10, 256, 1000]) {
    assert.ok(estimateTokens(maxCharsForTokens(t)) <= t);
    assert.ok(estimateTokens(maxCharsForTokens(t) + 1) > t);
  }
});

test('lineChunkSpans: tiles the text, never cuts a line, stays within the budget', () => {
  const text = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`).join('\n');
  const spans = lineChunkSpans(text, 50);
  assert.equal(texts(text, spans).join(''), text);
  for (const [i, s] of spans.entries()) {
    if (i > 0) assert.equal(text[s.start - 1], '\n');
    assert.ok(estimateTokens(s.end - s.start) <= 50);
  }
  assert.ok(spans.length > 5);
});

test('lineChunkSpans: prefers to cut after a blank line', () => {
  const para = (n: number) => Array.from({ length: 6 }, (_, i) => `p${n} sentence number ${i} here`).join('\n') + '\n';
  const text = [para(1), para(2), para(3), para(4)].join('\n');
  const parts = texts(text, lineChunkSpans(text, 120));
  assert.ok(parts.length >= 2);
  for (const p of parts.slice(0, -1)) assert.ok(p.endsWith('\n\n'), `cut after a blank line: ${JSON.stringify(p.slice(-30))}`);
});

test('lineChunkSpans: a line longer than the budget stays whole; empty text gives no chunk', () => {
  const long = 'y'.repeat(1000);
  const text = `short\n${long}\nshort again\n`;
  const parts = texts(text, lineChunkSpans(text, 20));
  assert.ok(parts.includes(`${long}\n`));
  assert.equal(parts.join(''), text);
  assert.deepEqual(lineChunkSpans(''), []);
  assert.deepEqual(texts('no newline', lineChunkSpans('no newline')), ['no newline']);
});

test('chunkByLines: line numbers, parser and empty symbol paths', () => {
  const text = 'a\nb\n\nc\n';
  const [only] = chunkByLines({ path: 'x.txt', text, language: 'plaintext' });
  assert.deepEqual(
    { ...only, span: only?.span },
    { path: 'x.txt', language: 'plaintext', span: { start: 0, end: 7 }, startLine: 1, endLine: 4, symbolPath: [], text, definitions: [], parser: 'lines' },
  );
});

test('groupPieces: prefers a shallow cut once half the budget is reached, and avoids tiny chunks', () => {
  // 10 pieces of 10 chars; budget of 10 tokens = 35 chars, so 3 pieces fit in a chunk.
  const pieces = Array.from({ length: 10 }, (_, i) => ({ start: i * 10, end: i * 10 + 10, depth: i === 2 || i === 4 ? 1 : 3 }));
  const spans = groupPieces(pieces, 10);
  assert.equal(spans[0]?.end, 20, 'the depth-1 cut before piece 2 wins over filling three pieces');
  assert.equal(spans[1]?.end, 40);
  assert.deepEqual(spans.map((s) => s.end - s.start).reduce((a, b) => a + b, 0), 100);
  assert.deepEqual(groupPieces([], 10), []);
  // a single oversized piece stays whole
  assert.deepEqual(groupPieces([{ start: 0, end: 500, depth: 0 }], 10), [{ start: 0, end: 500 }]);
});
