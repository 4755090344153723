import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jaccard, RecentSnippets } from '../../../../src/common/context/recentSnippets.ts';

const file = (name: string, n = 100) => Array.from({ length: n }, (_, i) => `const ${name}Value${i} = compute${name}(${i});`);

test('a window is centred on the noted line, clamped to the file, and a blank one is ignored', () => {
  const ring = new RecentSnippets({ windowLines: 10 });
  ring.note('a.ts', 'typescript', file('alpha'), 50);
  ring.note('b.ts', 'typescript', file('beta', 4), 0);
  ring.note('c.ts', 'typescript', ['', '  ', ''], 1);
  const [b, a] = ring.rank('alphaValue beta compute', { limit: 5, minScore: 0 }).map((r) => r.snippet).sort((x, y) => x.path.localeCompare(y.path)).reverse();
  assert.deepEqual([a?.path, a?.startLine, a?.endLine], ['a.ts', 46, 55]);
  assert.deepEqual([b?.path, b?.startLine, b?.endLine], ['b.ts', 1, 4]);
  assert.equal(ring.size, 2);
});

test('an overlapping window of the same file replaces the old one; the ring keeps the newest', () => {
  const ring = new RecentSnippets({ capacity: 3, windowLines: 10 });
  ring.note('a.ts', 'typescript', file('alpha'), 50);
  ring.note('a.ts', 'typescript', file('alpha'), 53);
  assert.equal(ring.size, 1);
  for (const name of ['b', 'c', 'd']) ring.note(`${name}.ts`, 'typescript', file(name), 10);
  assert.equal(ring.size, 3);
  assert.deepEqual(ring.rank('compute alpha', { minScore: 0, limit: 9 }).map((r) => r.snippet.path).includes('a.ts'), false, 'the oldest was evicted');
  ring.forget('c.ts');
  assert.equal(ring.size, 2);
});

test('ranking: the window sharing the query tokens wins, the cursor window is excluded, and recency breaks ties', () => {
  const ring = new RecentSnippets({ windowLines: 6 });
  ring.note('cart.ts', 'typescript', ['export function cartTotal(items: Item[]) {', '  return items.reduce((sum, i) => sum + i.price * i.qty, 0);', '}'], 1);
  ring.note('log.ts', 'typescript', ['export function logLine(msg: string) {', '  console.log(msg);', '}'], 1);
  const top = ring.rank('const total = cartTotal(items', { limit: 1 });
  assert.equal(top[0]?.snippet.path, 'cart.ts');
  assert.deepEqual(ring.rank('const total = cartTotal(items', { exclude: { path: 'cart.ts', startLine: 2, endLine: 2 } }).map((r) => r.snippet.path), []);
  const twin = new RecentSnippets({ windowLines: 6 });
  twin.note('old.ts', 'typescript', ['retry(request, backoff)'], 0);
  twin.note('new.ts', 'typescript', ['retry(request, backoff)'], 0);
  assert.deepEqual(twin.rank('retry request backoff').map((r) => r.snippet.path), ['new.ts', 'old.ts']);
});

test('a window read from the middle of a file keeps whole-file line numbers', () => {
  const ring = new RecentSnippets({ windowLines: 4 });
  const all = file('gamma', 200);
  ring.note('g.ts', 'typescript', all.slice(100, 140), 120, 100);
  const s = ring.rank('gammaValue compute', { minScore: 0 })[0]?.snippet;
  assert.deepEqual([s?.startLine, s?.endLine], [119, 122]);
  assert.equal(s?.text, all.slice(118, 122).join('\n'));
});

test('jaccard', () => {
  assert.equal(jaccard(new Set(['a', 'b']), new Set(['b', 'c'])), 1 / 3);
  assert.equal(jaccard(new Set(), new Set()), 0);
});
