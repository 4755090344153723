import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { AstChunker } from '../../../../src/node/chunk/astChunker.ts';
import { resolveSyntaxDir } from '../../../../src/node/chunk/queries.ts';

const TS = `const greeting = 'café 😀 naïve';\n\nexport function after(x: number): number {\n  return x * 2;\n}\n`;

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-chunker-'));
}

test('AstChunker: spans are UTF-16 offsets into the JS string (non-ASCII before a definition)', async () => {
  const chunker = new AstChunker();
  try {
    const [chunk, ...rest] = await chunker.chunk('src/a.ts', TS);
    assert.equal(rest.length, 0);
    assert.equal(chunk?.parser, 'tree-sitter');
    assert.equal(chunk?.text, TS);
    const def = chunk?.definitions[0];
    assert.equal(def?.name, 'after');
    assert.equal(chunk?.text.slice(def?.signature.start, def?.signature.end), 'function after(x: number): number');
    assert.equal(chunk?.text.slice(def?.body?.start, def?.body?.end), '{\n  return x * 2;\n}');
  } finally {
    chunker.dispose();
  }
});

test('AstChunker: language from the path, an explicit id, or an alias; unknown languages use lines', async () => {
  const chunker = new AstChunker();
  try {
    assert.equal((await chunker.chunk('notes.txt', TS))[0]?.parser, 'lines');
    assert.equal((await chunker.chunk('notes.txt', TS, 'typescript'))[0]?.parser, 'tree-sitter');
    const [tsx] = await chunker.chunk('x', 'const A = () => <div>{1}</div>;\n', 'tsx');
    assert.equal(tsx?.language, 'typescriptreact');
    assert.equal(tsx?.parser, 'tree-sitter');
    const [rb] = await chunker.chunk('lib/a.rb', 'def a\n  1\nend\n');
    assert.deepEqual([rb?.language, rb?.parser, rb?.definitions.length], ['ruby', 'lines', 0]);
    assert.deepEqual(await chunker.chunk('empty.ts', ''), []);
  } finally {
    chunker.dispose();
  }
});

test('AstChunker: a grammar that fails to load falls back to lines and is logged once per language', async () => {
  const logger = new MemoryLogger();
  const dir = tempDir();
  const chunker = new AstChunker({ logger, grammarDir: dir });
  try {
    for (const name of ['a.go', 'b.go']) assert.equal((await chunker.chunk(name, 'package a\n'))[0]?.parser, 'lines');
    const warnings = logger.entries.filter((e) => e.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.message ?? '', /^GRAMMAR_LOAD_FAILED go: /);
  } finally {
    chunker.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('AstChunker: a parse past the time budget falls back to lines; the parser still works afterwards', async () => {
  const logger = new MemoryLogger();
  const slow = new AstChunker({ logger, parseTimeoutMs: 0 });
  const big = 'export function f(a: number) {\n  return a + 1;\n}\n'.repeat(4000);
  try {
    const chunks = await slow.chunk('big.ts', big);
    assert.ok(chunks.every((c) => c.parser === 'lines'));
    assert.equal(chunks.map((c) => c.text).join(''), big);
    assert.match(logger.entries.find((e) => e.level === 'warn')?.message ?? '', /^PARSE_TIMEOUT big\.ts/);
    // A tiny file finishes before the first progress check; the cancelled parse must not be resumed.
    const tiny = 'let a = 1;\nlet b = 2;\n';
    const [again] = await slow.chunk('tiny.ts', tiny);
    assert.deepEqual([again?.parser, again?.text, again?.definitions.length], ['tree-sitter', tiny, 0]);
  } finally {
    slow.dispose();
  }
  const normal = new AstChunker({ maxParseChars: 100 });
  try {
    assert.equal((await normal.chunk('small.ts', TS))[0]?.parser, 'tree-sitter');
    assert.ok((await normal.chunk('big.ts', big)).every((c) => c.parser === 'lines'), 'over maxParseChars');
  } finally {
    normal.dispose();
  }
});

test('AstChunker: files with syntax errors are still split by syntax and tile the text', async () => {
  const chunker = new AstChunker({ chunkTokens: 32 });
  const broken = 'class A {\n  m() {\n    if (x {\n      y();\n  }\n}\n\nfunction ok() {\n  return 1;\n}\n'.repeat(3);
  try {
    const chunks = await chunker.chunk('broken.ts', broken);
    assert.ok(chunks.length > 1);
    assert.ok(chunks.every((c) => c.parser === 'tree-sitter'));
    assert.equal(chunks.map((c) => c.text).join(''), broken);
  } finally {
    chunker.dispose();
  }
});

test('AstChunker: a query that does not compile leaves chunks without definitions (logged once)', async () => {
  const logger = new MemoryLogger();
  const dir = tempDir();
  fs.copyFileSync(path.join(resolveSyntaxDir(), 'nodeTypes.json'), path.join(dir, 'nodeTypes.json'));
  fs.writeFileSync(path.join(dir, 'typescript.scm'), '(no_such_node) @definition.function');
  const chunker = new AstChunker({ logger, syntaxDir: dir });
  try {
    const [chunk] = await chunker.chunk('a.ts', TS);
    await chunker.chunk('b.ts', TS);
    assert.deepEqual([chunk?.parser, chunk?.definitions.length], ['tree-sitter', 0]);
    assert.equal(logger.entries.filter((e) => /^QUERY_LOAD_FAILED typescript\.scm/.test(e.message)).length, 1);
  } finally {
    chunker.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('AstChunker: CRLF text tiles; dispose is final', async () => {
  const chunker = new AstChunker({ chunkTokens: 16 });
  const crlf = TS.repeat(5).replace(/\n/g, '\r\n');
  const chunks = await chunker.chunk('crlf.ts', crlf);
  assert.equal(chunks.map((c) => c.text).join(''), crlf);
  for (const c of chunks.slice(1)) assert.equal(crlf[c.span.start - 1], '\n');
  chunker.dispose();
  chunker.dispose();
  await assert.rejects(chunker.chunk('a.ts', TS), /disposed/);
});
