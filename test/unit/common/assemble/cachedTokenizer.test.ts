import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CachedTokenizer } from '../../../../src/common/assemble/cachedTokenizer.ts';
import { fitLines } from '../../../../src/common/assemble/windowFit.ts';

/** Counts calls; one id per word, and a blank line run merges into one id (not additive over lines). */
function fakeTokenizer() {
  const calls: string[] = [];
  return {
    calls,
    encode(text: string): number[] {
      calls.push(text);
      return (text.replace(/\n\n+/g, ' \u0000 ').match(/\S+|\n/g) ?? []).map((w) => w.length);
    },
    tokenId: (t: string) => (t === '<m>' ? 7 : undefined),
  };
}

test('CachedTokenizer returns the inner ids, runs each text once, and forgets the least recently used first', () => {
  const inner = fakeTokenizer();
  const t = new CachedTokenizer(inner, 2);
  assert.deepEqual(t.encode('ab cde'), [2, 3]);
  const ids = t.encode('ab cde');
  ids.push(99);
  assert.deepEqual(t.encode('ab cde'), [2, 3], 'callers get copies');
  assert.equal(t.count('x y z'), 3);
  assert.equal(inner.calls.length, 2);
  t.encode('ab cde');
  t.count('q');
  assert.equal(t.count('ab cde'), 2);
  assert.equal(inner.calls.length, 3, "'x y z' was the least recently used and went");
  t.count('x y z');
  assert.equal(inner.calls.length, 4);
  assert.equal(t.tokenId('<m>'), 7);
  assert.deepEqual([t.hits, t.misses], [4, 4]);
});

test('fitLines keeps the most lines whose exact joined count fits, even when counts are not additive', () => {
  const t = new CachedTokenizer(fakeTokenizer());
  const count = (s: string): number => t.count(s);
  const text = 'a b\n\n\nc d e\nf\n\n\ng h\ni j k l\n';
  for (let budget = 0; budget <= count(text); budget++) {
    for (const fromEnd of [true, false]) {
      const got = fitLines(text, budget, count, fromEnd);
      const lines = text.match(/[^\n]*\n/g)!;
      let best = 0;
      for (let n = 0; n <= lines.length; n++) {
        const kept = (fromEnd ? lines.slice(lines.length - n) : lines.slice(0, n)).join('');
        if (count(kept) <= budget) best = n;
      }
      assert.equal(lines.length - got.cut, best, `budget ${budget} fromEnd ${fromEnd}`);
      assert.ok(got.tokens <= budget);
    }
  }
});
