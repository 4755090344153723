// Property tests: whatever the input, chunks tile the text exactly, in order, with matching line numbers,
// boundaries only at line starts, and within the budget unless a chunk is a single line.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { estimateTokens } from '../../../../src/common/chunk/estimateTokens.ts';
import { GRAMMARS, LANGUAGES } from '../../../../src/common/chunk/languages.ts';
import { chunkByLines } from '../../../../src/common/chunk/lineChunker.ts';
import { AstChunker } from '../../../../src/node/chunk/astChunker.ts';

const RUNS = 200;
const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures/chunker');

function lineNumber(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Checks every coverage invariant; `budget` is the chunk budget in tokens. */
function assertTiling(text: string, chunks: readonly Chunk[], budget: number): void {
  assert.equal(chunks.map((c) => c.text).join(''), text, 'chunk texts concatenate to the input');
  let pos = 0;
  for (const c of chunks) {
    assert.equal(c.span.start, pos, 'spans are contiguous and ordered');
    assert.ok(c.span.end > c.span.start, 'no empty chunk');
    assert.equal(c.text, text.slice(c.span.start, c.span.end));
    assert.equal(c.startLine, lineNumber(text, c.span.start));
    assert.equal(c.endLine, lineNumber(text, c.span.end - 1));
    if (c.span.start > 0) assert.equal(text[c.span.start - 1], '\n', 'a boundary never falls mid-line');
    const singleLine = !c.text.slice(0, -1).includes('\n');
    assert.ok(estimateTokens(c.text) <= budget || singleLine, `over budget: ${estimateTokens(c.text)} > ${budget}`);
    for (const d of c.definitions) {
      assert.ok(0 <= d.signature.start && d.signature.start <= d.signature.end && d.signature.end <= c.text.length);
      if (d.body) assert.ok(0 <= d.body.start && d.body.start <= d.body.end && d.body.end <= c.text.length);
    }
    pos = c.span.end;
  }
  assert.equal(pos, text.length);
}

const chunkers = new Map<number, AstChunker>();
function chunkerFor(budget: number): AstChunker {
  let c = chunkers.get(budget);
  if (c === undefined) {
    c = new AstChunker({ chunkTokens: budget });
    chunkers.set(budget, c);
  }
  return c;
}
after(() => {
  for (const c of chunkers.values()) c.dispose();
});

const budgetArb = fc.constantFrom(8, 24, 64, 256);
const unitArb = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) },
  { weight: 3, arbitrary: fc.constantFrom('\n', '\n', '\r\n', '\n\n', '  ', '\t', '{', '}', '(', '):', ';', '"', '//', '#') },
  { weight: 1, arbitrary: fc.constantFrom('😀', 'é', '\u2028', '\uD800', 'class ', 'def ', 'fn ', 'function ') },
);
const languageArb = fc.constantFrom(...Object.keys(LANGUAGES));

test('random strings: every chunker tiles them (tree-sitter on garbage included)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: unitArb, maxLength: 400 }), languageArb, budgetArb, async (text, language, budget) => {
      assertTiling(text, chunkByLines({ path: 'x', text, language }, budget), budget);
      assertTiling(text, await chunkerFor(budget).chunk('random', text, language), budget);
    }),
    { numRuns: RUNS },
  );
});

const lineArb = fc.oneof(
  fc.constant(''),
  fc.constantFrom('}', '  }', '});', ')'),
  fc.tuple(fc.nat({ max: 4 }), fc.string({ unit: 'grapheme-ascii', maxLength: 60 })).map(([n, s]) => '  '.repeat(n) + s),
  fc.string({ unit: 'grapheme', minLength: 200, maxLength: 1200 }).map((s) => s.replace(/[\r\n\u2028\u2029]/g, ' ')),
);

test('random line structures: blank, indented, closing and over-long lines', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(lineArb, { maxLength: 120 }),
      fc.boolean(),
      fc.constantFrom('plaintext', 'python', 'typescript', 'go'),
      budgetArb,
      async (lines, finalNewline, language, budget) => {
        const text = lines.join('\n') + (finalNewline && lines.length > 0 ? '\n' : '');
        assertTiling(text, chunkByLines({ path: 'x', text, language }, budget), budget);
        assertTiling(text, await chunkerFor(budget).chunk('lines', text, language), budget);
      },
    ),
    { numRuns: RUNS },
  );
});

/** The fixture of each grammar, as lines (with their newlines). */
function fixtureLines(grammar: string): string[] {
  const dir = path.join(FIXTURES, grammar);
  const file = fs.readdirSync(dir).find((f) => !f.endsWith('.chunks.txt'));
  assert.ok(file, grammar);
  return fs.readFileSync(path.join(dir, file), 'utf8').split(/(?<=\n)/);
}

for (const grammar of GRAMMARS) {
  const lines = fixtureLines(grammar);
  const language = Object.entries(LANGUAGES).find(([, s]) => s.grammar === grammar)?.[0] ?? grammar;
  const fragmentArb = fc
    .tuple(fc.nat({ max: lines.length - 1 }), fc.integer({ min: 1, max: 40 }))
    .map(([start, len]) => lines.slice(start, start + len).join(''));
  test(`fragments of real ${grammar} source, concatenated: the AST path tiles them`, async () => {
    let parsed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fragmentArb, { minLength: 1, maxLength: 6 }), fc.boolean(), budgetArb, async (parts, crlf, budget) => {
        const joined = parts.join('');
        const text = crlf ? joined.replace(/\n/g, '\r\n') : joined;
        const chunks = await chunkerFor(budget).chunk(`f.${grammar}`, text, language);
        assertTiling(text, chunks, budget);
        if (chunks.every((c) => c.parser === 'tree-sitter')) parsed++;
      }),
      { numRuns: RUNS },
    );
    assert.ok(parsed >= RUNS * 0.9, `the tree-sitter path was taken in ${parsed}/${RUNS} runs`);
  });
}
