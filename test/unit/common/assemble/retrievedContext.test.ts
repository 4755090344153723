import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { buildRetrievedContext } from '../../../../src/common/assemble/retrievedContext.ts';

function chunk(path: string, startLine: number, lines: number): Chunk {
  const text = Array.from({ length: lines }, (_, i) => `x${i} = ${i}\n`).join('');
  return { path, language: 'python', span: { start: 0, end: text.length }, startLine, endLine: startLine + lines - 1, symbolPath: ['class A'], text, definitions: [], parser: 'lines' };
}

test('drop-in for the interim builder: ascending score, comment headers, a ContextReport with every decision', () => {
  const { text, report } = buildRetrievedContext(
    [{ chunk: chunk('a.py', 1, 3), score: 0.9 }, { chunk: chunk('b.py', 10, 3), score: 0.5 }, { chunk: chunk('w.py', 1, 3), score: 0.7 }, { chunk: chunk('c.py', 1, 400), score: 0.4 }],
    { surface: 'completion', query: 'q', budgetChars: 300, style: 'comment', exclude: { path: 'w.py', startLine: 1, endLine: 2 }, createdAt: 5 },
  );
  assert.ok(text.indexOf('# b.py:10-12 (class A)') < text.indexOf('# a.py:1-3 (class A)'));
  assert.deepEqual(report.items.map((i) => i.status), ['included', 'included', 'dropped', 'dropped']);
  assert.equal(report.items[2]!.reason, 'already in the cursor window');
  assert.ok(report.usedChars <= 300);
  assert.equal(report.createdAt, 5);
});
