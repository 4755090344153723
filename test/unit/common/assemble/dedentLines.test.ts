import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dedentLines } from '../../../../src/common/assemble/dedentLines.ts';

describe('dedentLines', () => {
  it('removes the leading whitespace all non-blank lines share', () => {
    assert.deepEqual(dedentLines(['    if x:', '        y()', '', '    z()']), ['if x:', '    y()', '', 'z()']);
  });

  it('compares indentation as text: a tab and spaces share nothing', () => {
    assert.deepEqual(dedentLines(['\tfoo()', '    bar()']), ['\tfoo()', '    bar()']);
    assert.deepEqual(dedentLines(['\t\tfoo()', '\t  bar()']), ['\tfoo()', '  bar()']);
  });

  it('leaves text without shared indentation, and blank-only input, unchanged', () => {
    assert.deepEqual(dedentLines(['a', '  b']), ['a', '  b']);
    assert.deepEqual(dedentLines(['  ', '']), ['  ', '']);
    assert.deepEqual(dedentLines([]), []);
  });

  it('empties a whitespace-only line inside dedented text instead of cutting it mid-indent', () => {
    assert.deepEqual(dedentLines(['    a', '  ', '    b']), ['a', '', 'b']);
  });
});
