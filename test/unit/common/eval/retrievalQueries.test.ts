import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baselineQuery, productQuery } from '../../../../src/common/eval/retrievers.ts';
import type { EvalTask } from '../../../../src/common/eval/evalTask.ts';

const prefixLines = Array.from({ length: 14 }, (_, i) => `line${i + 1} = value${i + 1}`);
const task: EvalTask = {
  id: 't', language: 'python', repo_dir: 'r', file: 'a.py', line: 15, column: 4, cursor_offset: 0,
  prefix: `${prefixLines.join('\n')}\n    `,
  groundtruth: 'secret_target = hidden()',
  suffix: 'after1 = one\nafter2 = two\nafter3 = three\n',
};

describe('eval queries', () => {
  it('queries the baselines with the last lines before the cursor only, by default', () => {
    const q = baselineQuery(task, { budget: { unit: 'chars', size: 100 } });
    assert.equal(q, `${prefixLines.slice(-9).join('\n')}\n    `);
    assert.ok(!q.includes('after1'));
  });

  it('queries ours as the editor does: 10 lines up to the cursor and the 2 lines after its line, never the ground truth', () => {
    const q = productQuery(task);
    assert.equal(q, `${prefixLines.slice(-9).join('\n')}\n    \n\nafter1 = one\nafter2 = two`);
    assert.ok(!q.includes('secret_target'));
    assert.ok(!q.includes('after3'));
  });
});
