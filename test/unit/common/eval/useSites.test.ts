import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildUseIndex, declaredNames, usePieces } from '../../../../src/common/eval/useSites.ts';

const FILES = [
  { path: 'report.py', language: 'python', text: 'from stats import mean_of\nvalue = mean_of(samples, weights=None)\n', chunks: [] },
  { path: 'stats.py', language: 'python', text: 'def mean_of(values):\n    return sum(values)\n', chunks: [] },
];

describe('eval use sites', () => {
  it('reads declared names from prefix and suffix, nearest the cursor first', () => {
    assert.deepEqual(declaredNames({ prefix: 'def first():\n    pass\ndef mean_of(values):\n    ', suffix: '\nclass Later:\n' }), ['mean_of', 'first', 'Later']);
    assert.deepEqual(declaredNames({ prefix: '  public static int countItems(List<Item> items) {\n', suffix: '' }), ['countItems']);
  });

  it('returns use lines from other files only, imports left out', () => {
    const index = buildUseIndex(FILES);
    const pieces = usePieces(index, { file: 'stats.py', prefix: 'def mean_of(values):\n    ', suffix: '' });
    assert.deepEqual(pieces.map((p) => [p.path, p.startLine, p.text]), [['report.py', 2, 'value = mean_of(samples, weights=None)']]);
  });
});
