import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeNames } from '../../../../src/common/assemble/codeNames.ts';
import { isCommentLine } from '../../../../src/common/assemble/commentSyntax.ts';

describe('codeNames', () => {
  it('lists distinct names in order of first use, keywords left out', () => {
    assert.deepEqual(codeNames('const total = cart.items.reduce((sum, item) => sum + item.price, 0); return total'), ['total', 'cart', 'items', 'reduce', 'sum', 'item', 'price']);
    assert.deepEqual(codeNames('def f(self): return None if x is not None else self._y'), ['f', 'x', '_y']);
    assert.deepEqual(codeNames('$el = größe2 + 3'), ['$el', 'größe2']);
    assert.deepEqual(codeNames('}); // '), []);
  });
});

describe('isCommentLine', () => {
  it('knows line and block comments of C-like languages', () => {
    for (const line of ['// note', '  /** doc', '   * @param x', '   *', '   */']) assert.ok(isCommentLine(line, 'typescript'), line);
    for (const line of ['*p = 1;', 'x = 1; // trailing', '  return a * b']) assert.ok(!isCommentLine(line, 'java'), line);
  });

  it('uses the language line comment elsewhere and knows none in markdown', () => {
    assert.ok(isCommentLine('    # explain', 'python'));
    assert.ok(!isCommentLine('x = "#"', 'python'));
    assert.ok(isCommentLine('-- why', 'sql'));
    assert.ok(!isCommentLine('* a bullet', 'markdown'));
    assert.ok(!isCommentLine('// not a comment in plain text', 'plaintext'));
  });
});
