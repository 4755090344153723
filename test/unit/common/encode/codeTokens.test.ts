import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeTokens, countTokens, splitIdentifier, stemToken } from '../../../../src/common/encode/codeTokens.ts';

test('splitIdentifier splits camelCase, PascalCase, acronyms, snake_case and digits', () => {
  assert.deepEqual(splitIdentifier('parseHTTPResponse2'), ['parse', 'HTTP', 'Response', '2']);
  assert.deepEqual(splitIdentifier('XMLHttpRequest'), ['XML', 'Http', 'Request']);
  assert.deepEqual(splitIdentifier('MAX_FILE_BYTES'), ['MAX', 'FILE', 'BYTES']);
  assert.deepEqual(splitIdentifier('utf8Decode'), ['utf', '8', 'Decode']);
  assert.deepEqual(splitIdentifier('snake_case_name'), ['snake', 'case', 'name']);
});

test('codeTokens lowercases parts and keeps the whole identifier too', () => {
  assert.deepEqual(codeTokens('orderTotal'), ['order', 'total', 'ordertotal']);
  assert.deepEqual(codeTokens('compute_shipping_cost'), ['comput', 'ship', 'cost', 'compute_shipping_cost']);
  assert.deepEqual(codeTokens('Inventory'), ['inventory']);
});

test('codeTokens drops keywords, English function words and one-letter parts', () => {
  assert.deepEqual(codeTokens('export const x = function () { return this.value; }'), ['valu']);
  assert.deepEqual(codeTokens('def __init__(self, queue):'), ['init', 'queu']);
  assert.deepEqual(codeTokens('where is the price of a book computed?'), ['pric', 'book', 'comput']);
});

test('queries and code meet on the same tokens', () => {
  const code = new Set(codeTokens('function computeOrderTotals(orders: Order[]) {}'));
  for (const t of codeTokens('compute order total')) assert.ok(code.has(t), t);
});

test('stemToken folds plurals and common suffixes, and leaves short words alone', () => {
  assert.equal(stemToken('queries'), 'query');
  assert.equal(stemToken('orders'), 'order');
  assert.equal(stemToken('computed'), stemToken('compute'));
  assert.equal(stemToken('caching'), stemToken('cache'));
  assert.equal(stemToken('shipping'), 'ship');
  assert.equal(stemToken('stopped'), 'stop');
  assert.equal(stemToken('status'), 'status');
  assert.equal(stemToken('class'), 'class');
  assert.equal(stemToken('go'), 'go');
});

test('codeTokens ignores overlong words, and handles non-ASCII identifiers', () => {
  assert.deepEqual(codeTokens('a'.repeat(60) + ' tail'), ['tail']);
  assert.deepEqual(codeTokens('größeBerechnen'), ['größ', 'berechnen', 'größeberechnen']);
});

test('countTokens counts repeats', () => {
  assert.deepEqual([...countTokens(['a', 'b', 'a'])], [['a', 2], ['b', 1]]);
});
