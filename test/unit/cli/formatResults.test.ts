import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chunk } from '../../../src/common/chunk/chunk.ts';
import { chunkLabel, formatExplain, formatHits, formatMass, formatSummary, previewLine } from '../../../src/cli/formatResults.ts';
import { ProgressReporter, renderProgressLine } from '../../../src/cli/progressReporter.ts';

const chunk = (path: string, startLine: number, endLine: number, symbolPath: string[], text = ''): Chunk => ({
  path, startLine, endLine, symbolPath, text, language: 'typescript', span: { start: 0, end: text.length }, definitions: [], parser: 'tree-sitter',
});

test('hits print as `path:start-end  score  symbol` in aligned columns', () => {
  const lines = formatHits([
    { chunk: chunk('src/cart.ts', 10, 24, ['class Cart', 'method total']), score: 0.51234 },
    { chunk: chunk('README.md', 1, 9, []), score: 0.2 },
  ]);
  assert.deepEqual(lines, ['src/cart.ts:10-24  0.512  class Cart > method total', 'README.md:1-9      0.200']);
});

test('the preview is the chunk line sharing most tokens with the query', () => {
  const h = { chunk: chunk('a.ts', 1, 3, [], 'import x from "y";\n\n  applyDiscountCode(code) {\n  return 1;\n'), score: 1 };
  assert.deepEqual(previewLine(h, 'apply a discount code'), { line: 3, text: 'applyDiscountCode(code) {' });
  assert.deepEqual(previewLine({ ...h, chunk: { ...h.chunk, startLine: 40 } }, 'apply a discount code'), { line: 42, text: 'applyDiscountCode(code) {' });
  assert.equal(previewLine({ ...h, chunk: { ...h.chunk, text: 'x'.repeat(300) } }, 'q', 20).text.length, 20);
});

test('a hit is labelled with its symbol path and the other definitions that start in the chunk', () => {
  const def = (kind: string, name: string) => ({ kind, name, signature: { start: 0, end: 1 } });
  const c = { symbolPath: ['class Cart', 'method removeBook'], definitions: [def('method', 'removeBook'), def('method', 'applyDiscountCode')] };
  assert.equal(chunkLabel(c), 'class Cart > method removeBook, method applyDiscountCode');
  assert.equal(chunkLabel({ symbolPath: ['class Cart'], definitions: [] }), 'class Cart');
  assert.equal(chunkLabel({ symbolPath: [], definitions: ['a', 'b', 'c', 'd', 'e'].map((n) => def('function', n)) }), 'function a, function b, function c, +2 more');
  const [line] = formatHits([{ chunk: { ...chunk('src/cart.ts', 30, 53, c.symbolPath), definitions: c.definitions }, score: 0.4 }]);
  assert.equal(line, 'src/cart.ts:30-53  0.400  class Cart > method removeBook, method applyDiscountCode');
});

test('the summary names every skip reason with its text and count', () => {
  const text = formatSummary('/repo', {
    files: 3, chunks: 9, reused: 1, rechunked: 2, removed: 0, skipped: { SECRET: 1, IGNORED: 2 }, durationMs: 1234, committed: true, storeDir: '/repo/.squeeze/index-v1',
  });
  assert.match(text, /Indexed \/repo in 1\.23 s/);
  assert.match(text, /files +3 +\(1 reused, 2 chunked, 0 removed\)/);
  assert.match(text, /skipped +3\n +2 +matched an ignore rule/);
  assert.match(text, /1 +may contain secrets/);
});

test('the progress line has a bar, counts and a shortened path; a TTY redraws in place, throttled', () => {
  const line = renderProgressLine({ phase: 'chunk', done: 5, total: 10, path: 'src/' + 'deep/'.repeat(30) + 'file.ts' }, 80);
  assert.ok(line.startsWith('chunking [############------------] 5/10  …'), line);
  assert.ok(line.length <= 80);
  assert.equal(renderProgressLine({ phase: 'scan', done: 42, total: 0, path: 'a.ts' }, 80), 'scanning 42 files  a.ts');
  let now = 0;
  const writes: string[] = [];
  const tty = new ProgressReporter({ write: (s: string) => writes.push(s), isTTY: true, columns: 60 }, { now: () => now });
  tty.update({ phase: 'chunk', done: 1, total: 3, path: 'a' });
  now = 10;
  tty.update({ phase: 'chunk', done: 2, total: 3, path: 'b' });
  now = 200;
  tty.update({ phase: 'chunk', done: 3, total: 3, path: 'c' });
  tty.clear();
  assert.equal(writes.length, 3);
  assert.ok(writes.every((w) => w.startsWith('\r\x1b[K')));
  const plain: string[] = [];
  const pipe = new ProgressReporter({ write: (s: string) => plain.push(s) }, { now: () => 0 });
  pipe.update({ phase: 'scan', done: 1, total: 0, path: 'a' });
  pipe.update({ phase: 'scan', done: 2, total: 0, path: 'b' });
  pipe.update({ phase: 'chunk', done: 1, total: 2, path: 'a' });
  pipe.update({ phase: 'commit', done: 0, total: 1, path: '/r/.squeeze/index-v2' });
  assert.deepEqual(plain, ['scanning\n', 'chunking 2 files\n', 'saving\n'], 'a phase start names its size, not its first item');
  const slow = new ProgressReporter({ write: (s: string) => plain.push(s) }, { now: () => (now += 6000) });
  plain.length = 0;
  slow.update({ phase: 'encode', done: 1, total: 400, path: 'a.ts' });
  slow.update({ phase: 'encode', done: 120, total: 400, path: 'src/app.ts' });
  assert.deepEqual(plain, ['encoding 400 files\n', 'encoding 120/400  src/app.ts\n']);
});

test('centroid hits add a `cluster coarse/fine  mass m` column; exact hits keep the plain line', () => {
  const lines = formatHits([
    { chunk: chunk('src/cart.ts', 10, 24, ['class Cart']), score: 0.5, cluster: { coarse: 3, fine: 127 }, mass: 0.0123 },
    { chunk: chunk('a.ts', 1, 2, []), score: 0.25, cluster: { coarse: 12, fine: 1040 }, mass: 0.000456 },
  ]);
  assert.deepEqual(lines, [
    'src/cart.ts:10-24  0.500  cluster 3/127    mass 0.012    class Cart',
    'a.ts:1-2           0.250  cluster 12/1040  mass 4.56e-4',
  ]);
  assert.equal(formatMass(0.5), '0.500');
});

test('--explain lines: clusters per level with τ, vectors scored; exact search says why', () => {
  const lines = formatExplain({
    mode: 'centroids', vectors: 161684, temperature: 0.05, ms: 0.42,
    coarse: { total: 81, scored: 81, kept: 9, tau: 0.00123 }, fine: { total: 3237, scored: 360, kept: 41, tau: 0.0000345 },
    vectorsScored: 2011, fractionScored: 2011 / 161684, centroidsScored: 441,
  });
  assert.deepEqual(lines, [
    'explain: centroid lookup over 161,684 vectors (T 0.05) in 0.42 ms',
    '  coarse  clusters 81, scored 81, kept 9  τ 1.23e-3',
    '  fine    clusters 3,237, scored 360, kept 41  τ 3.45e-5',
    '  vectors  scored 2,011 of 161,684 (1.24%), centroids scored 441',
  ]);
  const exact = formatExplain({ mode: 'exact', reason: '120 chunks, below 2000', vectors: 120, vectorsScored: 120, fractionScored: 1, centroidsScored: 0, ms: 1.5 });
  assert.deepEqual(exact, ['explain: exact search over 120 vectors (120 chunks, below 2000) in 1.50 ms', '  vectors  scored 120 of 120 (100.00%)']);
});

test('--explain on the posting-list path says so and counts the postings read', () => {
  const lines = formatExplain({
    mode: 'centroids', vectors: 161684, temperature: 0.05, ms: 0.9, postingsRead: 52311,
    coarse: { total: 81, scored: 81, kept: 3, tau: 0.002 }, fine: { total: 3237, scored: 120, kept: 10, tau: 0.0001 },
    vectorsScored: 30000, fractionScored: 30000 / 161684, centroidsScored: 201,
  });
  assert.equal(lines[0], 'explain: posting lists over 161,684 vectors (exact; clusters only estimate mass) in 0.90 ms');
  assert.equal(lines[1], '  postings read 52,311');
  assert.equal(lines.length, 5);
});
