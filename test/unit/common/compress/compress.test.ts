import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Chunk, Definition } from '../../../../src/common/chunk/chunk.ts';
import { compressContext } from '../../../../src/common/compress/compress.ts';
import type { ScoredChunk } from '../../../../src/common/compress/compressTypes.ts';
import { contextItems } from '../../../../src/common/compress/contextItems.ts';
import { thinLines } from '../../../../src/common/compress/lineThinning.ts';

/** A TypeScript chunk holding `n` functions `fN(a: number): number { ...body lines... }`. */
function fnChunk(path: string, startLine: number, names: readonly string[], bodyLines = 4, spanStart = 0): Chunk {
  let text = '';
  const definitions: Definition[] = [];
  for (const name of names) {
    const sig = `export function ${name}(a: number): number `;
    const body = `{\n${Array.from({ length: bodyLines }, (_, i) => `  const v${i} = a * ${i} + ${name.length};\n`).join('')}  return a;\n}`;
    const s = text.length;
    definitions.push({ kind: 'function', name, signature: { start: s, end: s + sig.length - 1 }, body: { start: s + sig.length, end: s + sig.length + body.length }, depth: 0 });
    text += `${sig}${body}\n`;
  }
  const lines = text.split('\n').length - 1;
  return {
    path, language: 'typescript', span: { start: spanStart, end: spanStart + text.length }, startLine, endLine: startLine + lines - 1,
    symbolPath: [], text, definitions, parser: 'tree-sitter',
  };
}

const cand = (chunk: Chunk, score: number): ScoredChunk => ({ chunk, score });

test('everything fits: all full, pieces best first, decisions in input order', () => {
  const a = cand(fnChunk('a.ts', 1, ['alpha']), 0.5);
  const b = cand(fnChunk('b.ts', 1, ['beta']), 0.9);
  const r = compressContext([a, b], { budget: 10_000 });
  assert.deepEqual(r.decisions.map((d) => [d.path, d.level]), [['a.ts', 'full'], ['b.ts', 'full']]);
  assert.deepEqual(r.pieces.map((p) => p.source.path), ['b.ts', 'a.ts']);
  assert.ok(r.pieces[0]!.text.startsWith('b.ts:1-7\nexport function beta'));
  assert.equal(r.usedTokens, r.pieces.reduce((s, p) => s + p.tokens, 0));
});

test('a tight budget collapses or reduces to signatures before dropping', () => {
  const big = cand(fnChunk('big.ts', 1, ['one', 'two', 'three'], 12), 0.9);
  const full = compressContext([big], { budget: 10_000 }).decisions[0]!;
  const r = compressContext([big], { budget: Math.floor(full.tokens / 2) });
  const d = r.decisions[0]!;
  assert.notEqual(d.level, 'full');
  assert.notEqual(d.level, 'dropped');
  assert.match(d.reason, /over budget/);
  assert.ok(r.usedTokens <= Math.floor(full.tokens / 2));
  assert.ok(!r.pieces[0]!.text.includes('const v3'));
  const none = compressContext([big], { budget: 3 });
  assert.equal(none.decisions[0]!.level, 'dropped');
  assert.equal(none.decisions[0]!.reason, 'over budget');
});

test('value per token decides, but never below the best single chunk that fits', () => {
  const plain = (path: string, lines: number): Chunk => ({ ...fnChunk(path, 1, ['x'], lines), definitions: [] });
  const long = cand(plain('long.ts', 40), 0.8);
  const short = cand(plain('short.ts', 2), 0.7);
  const shortTokens = compressContext([short], { budget: 10_000 }).usedTokens;
  const longTokens = compressContext([long], { budget: 10_000 }).usedTokens;
  assert.ok(longTokens > shortTokens * 5);
  const single = compressContext([long, short], { budget: longTokens + 5 });
  assert.deepEqual(single.decisions.map((d) => d.level), ['full', 'dropped']);
  const short2 = cand(plain('short2.ts', 2), 0.6);
  const many = compressContext([long, short, short2], { budget: longTokens + 5 });
  assert.deepEqual(many.decisions.map((d) => d.level), ['dropped', 'full', 'full']);
});

test('a chunk mostly outside the cursor window stays', () => {
  const r = compressContext([cand(fnChunk('w.ts', 5, ['w']), 0.9)], { budget: 10_000, exclude: [{ path: 'w.ts', startLine: 1, endLine: 6 }] });
  assert.equal(r.decisions[0]!.level, 'full');
});

test('duplicates, the cursor window and zero scores are dropped with their reason', () => {
  const a = fnChunk('a.ts', 10, ['alpha']);
  const r = compressContext([cand(a, 0.9), cand(a, 0.8), cand(fnChunk('w.ts', 5, ['w']), 0.9), cand(fnChunk('z.ts', 1, ['z']), 0)], {
    budget: 10_000, exclude: [{ path: 'w.ts', startLine: 1, endLine: 9 }],
  });
  assert.deepEqual(r.decisions.map((d) => d.reason), ['fits the budget', 'duplicate of an earlier candidate', 'already in the cursor window', 'no score']);
});

test('adjacent chunks of one file at the same level merge into one piece under one header', () => {
  const first = fnChunk('m.ts', 1, ['first']);
  const second = fnChunk('m.ts', first.endLine + 1, ['second'], 4, first.span.end);
  const r = compressContext([cand(second, 0.4), cand(first, 0.6)], { budget: 10_000 });
  assert.equal(r.pieces.length, 1);
  const piece = r.pieces[0]!;
  assert.equal(piece.source.startLine, 1);
  assert.equal(piece.source.endLine, second.endLine);
  assert.equal(piece.score, 0.6);
  assert.equal(piece.text.split('m.ts:').length, 2);
  assert.match(r.decisions[0]!.reason, /merged/);
  assert.ok(r.usedTokens <= r.decisions[0]!.tokens + r.decisions[1]!.tokens);
});

test('line thinning drops whole lines only: blank runs and low-mass lines', () => {
  assert.deepEqual(thinLines('\na\n\n\n\nb\n\n'), { text: 'a\n\nb\n', droppedLines: 4 });
  assert.deepEqual(thinLines('keep\ndrop\nkeep2', [1, 0.01, 1], 0.1), { text: 'keep\nkeep2', droppedLines: 1 });
  const chunk = fnChunk('t.ts', 1, ['t']);
  const mass = chunk.text.split('\n').map((l) => (l.includes('const v2') ? 0 : 1));
  const r = compressContext([{ chunk, score: 1, lineMass: mass }], { budget: 10_000, minLineMass: 0.5 });
  assert.ok(!r.pieces[0]!.text.includes('const v2'));
  assert.ok(r.pieces[0]!.text.includes('const v3'));
  assert.equal(r.decisions[0]!.droppedLines, 1);
});

test('decisions map onto ContextReport items', () => {
  const r = compressContext([cand(fnChunk('a.ts', 1, ['a'], 30), 0.9), cand(fnChunk('b.ts', 1, ['b']), 0.1)], { budget: 40 });
  const items = contextItems(r.decisions);
  assert.deepEqual(items.map((i) => i.status), r.decisions.map((d) => (d.level === 'full' ? 'included' : d.level === 'dropped' ? 'dropped' : 'collapsed')));
  assert.ok(items.every((i) => (i.status === 'dropped') === (i.chars === 0)));
});

const arbCandidates = fc.array(
  fc.record({
    file: fc.integer({ min: 0, max: 4 }),
    line: fc.integer({ min: 1, max: 200 }),
    fns: fc.integer({ min: 1, max: 4 }),
    body: fc.integer({ min: 0, max: 20 }),
    score: fc.double({ min: -0.2, max: 1, noNaN: true }),
  }),
  { maxLength: 25 },
).map((rows) => rows.map((r) => cand(fnChunk(`f${r.file}.ts`, r.line, Array.from({ length: r.fns }, (_, i) => `fn${i}`), r.body), r.score)));

test('property: never over budget, deterministic, one decision per candidate', () => {
  fc.assert(
    fc.property(arbCandidates, fc.integer({ min: 0, max: 2000 }), fc.boolean(), (cands, budget, words) => {
      const countTokens = words ? (s: string) => s.split(/\s+/).filter(Boolean).length + 1 : undefined;
      const opts = { budget, ...(countTokens ? { countTokens } : {}) };
      const r = compressContext(cands, opts);
      const count = countTokens ?? ((s: string) => Math.ceil(s.length / 3.5));
      const actual = r.pieces.reduce((s, p) => s + count(p.text), 0);
      assert.ok(actual <= budget, `${actual} > ${budget}`);
      assert.equal(actual, r.usedTokens);
      assert.equal(r.decisions.length, cands.length);
      assert.deepEqual(compressContext(cands, opts), r);
    }),
    { numRuns: 250 },
  );
});
