import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Bm25Index, topIndices } from '../../../../src/common/eval/bm25.ts';
import { contextText, packPieces, renderPiece } from '../../../../src/common/eval/packing.ts';
import { jaccard, slidingWindows } from '../../../../src/common/eval/slidingWindows.ts';
import { estimateTokens } from '../../../../src/common/chunk/estimateTokens.ts';

describe('eval retrieval parts', () => {
  it('cuts 20-line windows with stride 10 and keeps the tail', () => {
    const text = Array.from({ length: 45 }, (_, i) => `line${i + 1} = value${i}`).join('\n');
    const w = slidingWindows('a.py', text);
    assert.deepEqual(w.map((x) => [x.startLine, x.endLine]), [[1, 20], [11, 30], [21, 40], [31, 45]]);
    assert.ok(w[0]?.ids.has('line1'));
  });

  it('computes Jaccard of identifier sets', () => {
    assert.equal(jaccard(new Set(['a', 'b']), new Set(['b', 'c'])), 1 / 3);
    assert.equal(jaccard(new Set(), new Set()), 0);
  });

  it('ranks BM25 documents that share rare terms first', () => {
    const bm = new Bm25Index([['cart', 'total'], ['money', 'format'], ['cart', 'item', 'item']]);
    const scores = bm.scores(['total', 'cart']);
    assert.deepEqual(topIndices(scores, 3), [0, 2]);
    assert.deepEqual(topIndices(scores, 3, (i) => i !== 0), [2]);
  });

  it('packs best first within a character or token budget, skipping pieces that do not fit', () => {
    const pieces = [
      { path: 'a.ts', startLine: 1, endLine: 2, text: 'x'.repeat(50) },
      { path: 'big.ts', startLine: 1, endLine: 9, text: 'y'.repeat(500) },
      { path: 'c.ts', startLine: 3, endLine: 4, text: 'z'.repeat(30) },
    ];
    const packed = packPieces(pieces, { unit: 'chars', size: 200 }, 'typescript');
    assert.deepEqual(packed.pieces.map((p) => p.path), ['a.ts', 'c.ts']);
    assert.ok(packed.used <= 200);
    assert.equal(contextText([packed]), packed.texts[1] + (packed.texts[0] ?? ''));
    const byTokens = packPieces(pieces, { unit: 'tokens', size: 30 }, 'typescript');
    assert.ok(byTokens.texts.reduce((n, t) => n + estimateTokens(t), 0) <= 30);
    assert.match(renderPiece({ path: 'm.py', startLine: 3, endLine: 4, text: 'x = 1' }, 'python'), /^# m\.py:3-4\nx = 1\n$/);
  });
});
