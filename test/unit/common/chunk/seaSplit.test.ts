import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seaSplit } from '../../../../src/common/chunk/seaSplit.ts';
import { LineIndex } from '../../../../src/common/chunk/lineIndex.ts';
import { estimateTokens } from '../../../../src/common/chunk/estimateTokens.ts';
import { fakeTree } from './fakeTree.ts';

const lineOf = (text: string, offset: number) => new LineIndex(text).lineOf(offset);
const pointLines = (text: string, points: readonly number[]) => points.map((p) => lineOf(text, p));

function assertTiles(text: string, spans: readonly { start: number; end: number }[]): void {
  assert.equal(spans.map((s) => text.slice(s.start, s.end)).join(''), text);
  spans.forEach((s, i) => {
    assert.ok(s.end > s.start, 'non-empty');
    if (i > 0) assert.equal(text[s.start - 1], '\n', 'chunks start at line starts');
  });
}

test('seaSplit: points are line starts, each more than 3 lines after the previous one', () => {
  const text = ['a 0', 'b 1', 'c 2', 'd 3', 'e 4', 'f 5', 'g 6', 'h 7', 'i 8', 'j 9', 'k 10'].map((l) => `${l} x\n  y\n`).join('');
  // every top-level node spans 2 lines, so nodes start on lines 0, 2, 4, ...
  const { points } = seaSplit(fakeTree(text), text, { maxDepth: 1 });
  assert.deepEqual(pointLines(text, points), [4, 8, 12, 16, 20]);
  for (const p of points) assert.equal(text[p - 1], '\n');
});

test('seaSplit: a shallow boundary wins over a nested one close to it', () => {
  const text = 'top a\n  x\n  y\n  z\n  nested b\n    inner\ntop c\n  w\n';
  // nested (depth 2) at line 4 and top-level (depth 1) at line 6: both > 3 lines after line 0,
  // but only 2 lines apart; the top-level one is kept.
  const { points } = seaSplit(fakeTree(text), text);
  assert.deepEqual(pointLines(text, points), [6]);
});

test('seaSplit: comments are never split points and stay with the node below them', () => {
  const text = 'one\n  a\n  b\n  c\n  d\n// about two\n// more\ntwo\n  e\n\n// detached\n\n\nthree\n  f\n';
  const { points } = seaSplit(fakeTree(text), text, { commentTypes: ['comment'] });
  const lines = pointLines(text, points);
  assert.ok(lines.includes(5), `comment block above 'two' starts its piece: ${lines}`);
  assert.ok(!lines.includes(7));
  assert.ok(lines.includes(13), `a comment separated by a blank line is not attached: ${lines}`);
});

test('seaSplit: nodes deeper than maxDepth are not split points; body containers add no level', () => {
  const rows = ['l1', 'a', 'b', 'c', 'l2', 'd', 'e', 'f', 'l3', 'g', 'h', 'i', 'l4', 'j', 'k', 'm', 'l5', 'n'];
  const indent = [0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5];
  const text = rows.map((r, i) => `${'  '.repeat(indent[i] ?? 0)}${r} x\n`).join('');
  // l2, l3, l4 are at depth 2, 3, 4 (lines 4, 8, 12); l5 is at depth 5 (line 16).
  assert.deepEqual(pointLines(text, seaSplit(fakeTree(text), text).points), [4, 8, 12]);
  // The same file with a `body` container around each block: the containers do not count.
  assert.deepEqual(pointLines(text, seaSplit(fakeTree(text, { bodies: true }), text).points), [4, 8, 12]);
  assert.deepEqual(pointLines(text, seaSplit(fakeTree(text), text, { maxDepth: 3 }).points), [4, 8]);
});

test('seaSplit: a piece that only closes a block joins the piece before it', () => {
  const text = 'fn a\n  b\n  c\n  d\n  e\n  f\n}\n';
  const tree = fakeTree(text);
  const { pieces } = seaSplit(tree, text, { maxDepth: 2 });
  assert.ok(pieces.every((p) => /\w/.test(text.slice(p.start, p.end))));
  assert.equal(pieces[pieces.length - 1]?.end, text.length);
});

test('seaSplit: chunks tile the text, respect the budget, and never cut a line', () => {
  const body = Array.from({ length: 60 }, (_, i) => `  statement${i} = compute(${i}) + other(${i});`).join('\n');
  const text = `fn big\n${body}\nfn small\n  x\n${'z'.repeat(400)}\n`;
  const { chunks } = seaSplit(fakeTree(text), text, { budgetTokens: 64 });
  assertTiles(text, chunks);
  for (const c of chunks) {
    const t = text.slice(c.start, c.end);
    const singleLine = !t.slice(0, -1).includes('\n');
    assert.ok(estimateTokens(t) <= 64 || singleLine, `chunk over budget: ${estimateTokens(t)}`);
  }
  assert.ok(chunks.some((c) => text.slice(c.start, c.end) === `${'z'.repeat(400)}\n`), 'a line longer than the budget stays whole');
});

test('seaSplit: empty text and a tree without children', () => {
  assert.deepEqual(seaSplit(fakeTree(''), ''), { points: [], pieces: [], chunks: [] });
  const text = 'just text\nwithout nodes\n';
  const root = { type: 'program', startIndex: 0, endIndex: text.length, childCount: 0, children: [] };
  assert.deepEqual(seaSplit(root, text).chunks, [{ start: 0, end: text.length }]);
});
