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

function code(path: string, startLine: number, text: string): Chunk {
  return { path, language: 'typescript', span: { start: 0, end: text.length }, startLine, endLine: startLine + text.split('\n').length - 1, symbolPath: [], text, definitions: [], parser: 'lines' };
}

test('with the text before the cursor: packs by score, thins each chunk to what the prompt does not show, reports every decision', () => {
  const prefix = 'import { Cart } from "./cart";\nimport { log } from "./log";\n\nexport function checkout(cart: Cart) {\n  log(cart.id);\n  ';
  const { text, report } = buildRetrievedContext(
    [
      { chunk: code('b.ts', 1, '// helper\nexport function tax(order: Order) {\n  return order.total * RATE;\n}'), score: 0.5 },
      { chunk: code('a.ts', 1, 'export function refund(order: Order) {\n  // explain\n  const receipt = issue(order);\n}'), score: 0.9 },
      { chunk: code('c.ts', 1, 'import { log } from "./log";'), score: 0.8 },
      { chunk: code('w.ts', 1, 'const x = y;\nconst z = x;'), score: 0.7 },
      { chunk: code('big.ts', 1, `const huge = [${'1, '.repeat(400)}];`), score: 0.6 },
    ],
    { surface: 'completion', query: 'q', budgetChars: 400, style: 'comment', exclude: { path: 'w.ts', startLine: 1, endLine: 2 }, prefix, createdAt: 1 },
  );
  assert.equal(text, '// b.ts:1-4\nexport function tax(order: Order) {\n  return order.total * RATE;\n\n// a.ts:1-4\nexport function refund(order: Order) {\n  …\n  const receipt = issue(order);\n');
  assert.deepEqual(report.items.map((i) => [i.path, i.status]), [['b.ts', 'included'], ['a.ts', 'included'], ['c.ts', 'dropped'], ['w.ts', 'dropped'], ['big.ts', 'dropped']]);
  assert.deepEqual(report.items.slice(2).map((i) => i.reason), ['nothing new: its lines are in the prompt already or name nothing new', 'already in the cursor window', 'over budget']);
  assert.match(report.items[0]!.reason, /thinned to what the prompt does not show yet; 2 blank or low-value lines removed/);
  assert.equal(report.usedChars, text.length - 1);
});
