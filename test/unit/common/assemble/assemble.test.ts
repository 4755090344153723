import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { assemblePrompt } from '../../../../src/common/assemble/assemble.ts';
import type { AssembleRequest } from '../../../../src/common/assemble/assembleTypes.ts';
import { lineCommentFor, pieceHeader } from '../../../../src/common/assemble/commentSyntax.ts';
import { fitLines } from '../../../../src/common/assemble/windowFit.ts';
import { estimateTokens } from '../../../../src/common/chunk/estimateTokens.ts';
import { FIM_STYLES } from '../../../../src/common/generate/fimStyles.ts';

function chunk(path: string, startLine: number, lines: number, language = 'typescript'): Chunk {
  const text = Array.from({ length: lines }, (_, i) => `const ${path.replace(/\W/g, '_')}_${startLine + i} = ${i};\n`).join('');
  return { path, language, span: { start: 0, end: text.length }, startLine, endLine: startLine + lines - 1, symbolPath: [], text, definitions: [], parser: 'lines' };
}

const prefix = Array.from({ length: 60 }, (_, i) => `line${i + 1}();\n`).join('') + 'const x = ';
const cursor = { path: 'src/main.ts', language: 'typescript', prefix, suffix: ';\nafter1();\nafter2();\n', startLine: 1 };
const qwen = FIM_STYLES[0]!;

test('comment syntax per language', () => {
  assert.equal(lineCommentFor('python'), '#');
  assert.equal(lineCommentFor('sql'), '--');
  assert.equal(pieceHeader('python', 'a.py', { startLine: 3, endLine: 9 }, ['class A']), '# a.py:3-9 (class A)');
});

test('FIM completion: markers around prefix and suffix, chunks best last, headers per chunk', () => {
  const r = assemblePrompt({
    mode: 'completion', budget: 2000, fim: qwen, cursor,
    candidates: [{ chunk: chunk('lib/b.ts', 1, 3), score: 0.9 }, { chunk: chunk('lib/a.ts', 10, 3), score: 0.4 }],
    repoMap: 'lib/a.ts\nlib/b.ts\n',
  });
  assert.deepEqual(r.segments.map((s) => s.kind), ['marker', 'repo-map', 'chunk', 'chunk', 'current-file', 'marker', 'current-suffix', 'marker']);
  assert.equal(r.segments[0]!.text, qwen.prefix);
  assert.equal(r.segments[7]!.text, qwen.middle);
  assert.deepEqual(r.segments.filter((s) => s.kind === 'chunk').map((s) => s.score), [0.4, 0.9]);
  assert.ok(r.segments[2]!.text.startsWith('// lib/a.ts:10-12\n'));
  assert.ok(r.segments[4]!.text.startsWith('// File: src/main.ts\n') && r.segments[4]!.text.endsWith('const x = '));
  assert.equal(r.segments[6]!.text, cursor.suffix);
  assert.equal(r.usedTokens, r.segmentTokens.reduce((a, b) => a + b, 0));
});

test('priority: a small budget keeps the cursor window and drops the repo map and retrieved chunks first', () => {
  const r = assemblePrompt({
    mode: 'completion', budget: 120, cursor, windowShare: 0.9,
    candidates: [{ chunk: chunk('lib/b.ts', 1, 30), score: 0.9 }], repoMap: 'x\n'.repeat(50),
  });
  assert.ok(r.usedTokens <= 120);
  assert.ok(r.segments.some((s) => s.kind === 'current-file'));
  assert.ok(r.windowCut.before > 0, 'far lines of the prefix were cut');
  assert.equal(r.decisions[0]!.level, 'dropped');
  const window = r.segments.find((s) => s.kind === 'current-file')!;
  assert.ok(window.text.endsWith('line60();\nconst x = '));
  assert.equal(window.source!.startLine, 1 + r.windowCut.before);
});

test('chunks overlapping the cursor window or an open file are not repeated', () => {
  const r = assemblePrompt({
    mode: 'completion', budget: 4000, cursor,
    openFiles: [{ path: 'lib/open.ts', language: 'typescript', startLine: 1, endLine: 3, text: 'a();\nb();\nc();\n' }],
    candidates: [{ chunk: chunk('src/main.ts', 50, 5), score: 0.9 }, { chunk: chunk('lib/open.ts', 2, 3), score: 0.8 }, { chunk: chunk('lib/z.ts', 1, 2), score: 0.1 }],
  });
  assert.deepEqual(r.decisions.map((d) => d.reason), ['already in the cursor window', 'already in the cursor window', 'fits the budget']);
  assert.deepEqual(r.openFiles.map((o) => o.kept), [true]);
  assert.deepEqual(r.segments.map((s) => s.kind), ['chunk', 'open-file', 'current-file']);
});

test('chat: instructions asking for path:line citations, history, fenced chunks, question last', () => {
  const r = assemblePrompt({
    mode: 'chat', budget: 3000, question: 'Where is the retry policy?',
    history: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }],
    candidates: [{ chunk: chunk('lib/retry.ts', 5, 4), score: 0.7 }],
  });
  assert.deepEqual(r.segments.map((s) => s.kind), ['instructions', 'history', 'history', 'chunk', 'question']);
  assert.match(r.segments[0]!.text, /path:line/);
  assert.ok(r.segments[3]!.text.startsWith('File lib/retry.ts:5-8\n```typescript\n'));
  assert.equal(r.segments[4]!.text, 'Where is the retry policy?');
  const q = assemblePrompt({ mode: 'question', budget: 3000, question: 'What is x?' });
  assert.match(q.segments.at(-1)!.text, /^Question: What is x\?\nAnswer \(cite path:line\):$/);
});

test('fitLines keeps whole lines only', () => {
  const r = fitLines('aaaa\nbbbb\ncccc\n', 3, estimateTokens, true);
  assert.equal(r.text, 'bbbb\ncccc\n');
  assert.equal(r.cut, 1);
  assert.equal(fitLines('aaaa\nbbbb\n', 2, estimateTokens, false).text, 'aaaa\n');
});

test('property: the assembled prompt never exceeds the budget', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom('completion', 'chat', 'question'), fc.boolean(), (budget, n, mode, fim) => {
      const req: AssembleRequest = {
        mode, budget, cursor, question: 'why?', repoMap: 'a\nb\n',
        ...(fim ? { fim: qwen } : {}),
        candidates: Array.from({ length: n }, (_, i) => ({ chunk: chunk(`f${i % 4}.ts`, 1 + 20 * i, 1 + (i * 7) % 15), score: ((i * 37) % 100) / 100 })),
      };
      const r = assemblePrompt(req);
      const total = r.segments.reduce((a, s) => a + (s.kind === 'marker' ? 1 : estimateTokens(s.text)), 0);
      assert.ok(total <= budget || r.segments.every((s) => s.kind === 'marker'), `${total} > ${budget}`);
      assert.deepEqual(assemblePrompt(req), r);
    }),
    { numRuns: 200 },
  );
});
