import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commentLines, isEligibleFile, isTargetLine, sampleTasks, taskAt } from '../../../../src/common/eval/taskSampling.ts';
import { parseTaskLine, queryWindow } from '../../../../src/common/eval/evalTask.ts';

const PY = ['import os', '', 'def f(a, b):', '    """Doc', '    still_doc = here + there', '    """', '    total_value = compute_total(a, b, os.sep)', '    return total_value', ''].join('\n');

describe('eval task sampling', () => {
  it('leaves out tests and stub files', () => {
    for (const p of ['tests/test_api.py', 'src/__tests__/a.ts', 'lib/foo.test.js', 'a/b_test.py', 'src/x.spec.ts', 'types/a.d.ts', 'm/__init__.pyi']) assert.ok(!isEligibleFile(p), p);
    for (const p of ['src/cart.ts', 'requests/api.py', 'java/util/Map.java', 'src/testable.ts']) assert.ok(isEligibleFile(p), p);
  });

  it('keeps non-trivial code lines only', () => {
    assert.ok(isTargetLine('    total_value = compute_total(a, b)'));
    assert.ok(!isTargetLine('// a comment about many things here'));
    assert.ok(!isTargetLine('import { a, b, c } from "./x";'));
    assert.ok(!isTargetLine('from os import path, sep, getcwd'));
    assert.ok(!isTargetLine('  }'));
    assert.ok(!isTargetLine('return x'));
  });

  it('finds docstring and block-comment lines', () => {
    assert.deepEqual([...commentLines(PY.split('\n'), 'python')], [3, 4, 5]);
    assert.deepEqual([...commentLines(['/**', ' * doc', ' */', 'int x = 1;', '/* one */'], 'java')], [0, 1, 2, 4]);
  });

  it('cuts a task at the line indentation: prefix + groundtruth + newline + suffix is the file', () => {
    const t = taskAt({ path: 'f.py', language: 'python', text: PY }, 6, 'repo');
    assert.equal(t.groundtruth, 'total_value = compute_total(a, b, os.sep)');
    assert.equal(t.column, 4);
    assert.equal(t.line, 7);
    assert.equal(t.prefix.length, t.cursor_offset);
    assert.equal(`${t.prefix}${t.groundtruth}\n${t.suffix}`, PY);
    assert.deepEqual(parseTaskLine(JSON.stringify(t), 1), t);
    assert.equal(queryWindow('a\nb\nc', 2), 'b\nc');
  });

  it('samples deterministically, outside docstrings and the first lines', () => {
    const files = [{ path: 'f.py', language: 'python', text: PY }, { path: 'tests/test_f.py', language: 'python', text: PY }];
    const a = sampleTasks(files, { count: 5, seed: 3, repoDir: 'r' });
    assert.deepEqual(sampleTasks(files, { count: 5, seed: 3, repoDir: 'r' }), a);
    assert.deepEqual(a.map((t) => [t.file, t.line]), [['f.py', 7]]);
  });
});
