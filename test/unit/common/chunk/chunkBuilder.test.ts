import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildChunks } from '../../../../src/common/chunk/chunkBuilder.ts';
import { definitionTree, symbolPathAt, type SourceDefinition } from '../../../../src/common/chunk/symbolPaths.ts';

const TEXT = [
  'import x;', //          line 1
  'class A {', //          line 2
  '  m() {', //            line 3
  '    body();', //        line 4
  '  }', //                line 5
  '  n() {', //            line 6
  '    other();', //       line 7
  '  }', //                line 8
  '}', //                  line 9
  'function f() {}', //    line 10
  '',
].join('\n');

function span(text: string, from: string, to: string): { start: number; end: number } {
  const start = TEXT.indexOf(from);
  return { start, end: TEXT.indexOf(to, start) + to.length };
}

const DEFS: SourceDefinition[] = [
  { kind: 'function', name: 'f', ...span(TEXT, 'function f', '{}'), body: span(TEXT, '{}', '{}') },
  { kind: 'method', name: 'n', ...span(TEXT, 'n() {', '  }'), body: span(TEXT, '{\n    other', '  }') },
  { kind: 'class', name: 'A', ...span(TEXT, 'class A', '\n}'), body: span(TEXT, '{\n  m()', '\n}') },
  { kind: 'method', name: 'm', ...span(TEXT, 'm() {', '  }'), body: span(TEXT, '{\n    body', '  }') },
];

test('definitionTree and symbolPathAt: nesting from containment, outermost first', () => {
  const tree = definitionTree(DEFS);
  assert.deepEqual(tree.defs.map((d) => d.name), ['A', 'm', 'n', 'f']);
  assert.deepEqual(tree.depth, [1, 2, 2, 1].map((d) => d - 1));
  assert.deepEqual(symbolPathAt(tree, TEXT.indexOf('body()')), ['class A', 'method m']);
  assert.deepEqual(symbolPathAt(tree, TEXT.indexOf('\n}') + 1), ['class A']);
  assert.deepEqual(symbolPathAt(tree, 0), []);
});

test('buildChunks: lines, symbol paths, relative definitions, bodies only when inside', () => {
  const cut1 = TEXT.indexOf('  n() {');
  const cut2 = TEXT.indexOf('}\nfunction') + 2;
  const chunks = buildChunks({
    path: 'a.ts',
    language: 'typescript',
    text: TEXT,
    spans: [{ start: 0, end: cut1 }, { start: cut1, end: cut2 }, { start: cut2, end: TEXT.length }],
    definitions: DEFS,
    parser: 'tree-sitter',
  });
  assert.deepEqual(chunks.map((c) => [c.startLine, c.endLine]), [[1, 5], [6, 9], [10, 10]]);
  assert.deepEqual(chunks.map((c) => c.symbolPath), [['class A'], ['class A', 'method n'], ['function f']]);
  const [first, second] = chunks;
  assert.deepEqual(first?.definitions.map((d) => [d.name, d.body !== undefined, d.depth]), [['A', false, 0], ['m', true, 1]]);
  const m = first?.definitions[1];
  assert.equal(first?.text.slice(m?.signature.start, m?.signature.end), 'm()');
  assert.equal(first?.text.slice(m?.body?.start, m?.body?.end), '{\n    body();\n  }');
  assert.equal(second?.text.slice(second.definitions[0]?.signature.start, second.definitions[0]?.signature.end), 'n()');
  assert.equal(chunks.map((c) => c.text).join(''), TEXT);
});

test('buildChunks: a chunk without definitions takes the path of its first non-blank character', () => {
  const cut = TEXT.indexOf('    body();');
  const chunks = buildChunks({
    path: 'a.ts',
    language: 'typescript',
    text: TEXT,
    spans: [{ start: 0, end: cut }, { start: cut, end: TEXT.indexOf('  n() {') }, { start: TEXT.indexOf('  n() {'), end: TEXT.length }],
    definitions: DEFS,
    parser: 'tree-sitter',
  });
  assert.deepEqual(chunks[1]?.symbolPath, ['class A', 'method m']);
  assert.deepEqual(chunks[1]?.definitions, []);
});
