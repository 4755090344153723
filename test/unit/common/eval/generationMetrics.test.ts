import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BackendRequest, CompletionResult, TextBackend } from '../../../../src/common/backend/backendTypes.ts';
import type { EvalTask } from '../../../../src/common/eval/evalTask.ts';
import { fimPrompt, firstLine, generateFirstLine, scoreGeneration } from '../../../../src/common/eval/generationMetrics.ts';

const TASK: EvalTask = {
  id: 't', language: 'python', repo_dir: 'r', file: 'pkg/m.py', line: 4, column: 4, cursor_offset: 0,
  prefix: 'import os\n\ndef f(x):\n    ', groundtruth: 'return os.path.join(x, "a")', suffix: '\n\ndef g():\n    pass\n',
};

describe('generation metrics', () => {
  it('builds the editor FIM prompt: context, file header, the prefix; the suffix after the target line', () => {
    const p = fimPrompt(TASK, '# lib/a.py:1-2\ndef join(): ...\n');
    assert.equal(p.prefix, '# Related code from the repository:\n# lib/a.py:1-2\ndef join(): ...\n\n# File: pkg/m.py\nimport os\n\ndef f(x):\n    ');
    assert.equal(p.suffix, '\n\n\ndef g():\n    pass\n');
    const cut = fimPrompt({ ...TASK, prefix: `${'x = 1\n'.repeat(100)}    `, suffix: 'y = 2\n'.repeat(100) }, '', { prefixChars: 20, suffixChars: 15 });
    assert.equal(cut.prefix, '# File: pkg/m.py\nx = 1\nx = 1\n    ');
    assert.equal(cut.suffix, '\ny = 2\ny = 2');
  });

  it('scores the first line by exact match and edit similarity', () => {
    assert.equal(firstLine('a\nb'), 'a');
    assert.deepEqual(scoreGeneration(TASK, '  return os.path.join(x, "a")  \nmore'), { generated: 'return os.path.join(x, "a")', exactMatch: true, editSimilarity: 1 });
    const near = scoreGeneration(TASK, 'return os.path.join(x, "b")');
    assert.equal(near.exactMatch, false);
    assert.ok(near.editSimilarity > 0.9 && near.editSimilarity < 1);
    assert.equal(scoreGeneration(TASK, '').editSimilarity, 0);
  });

  it('asks the backend for a greedy FIM completion that stops at the newline', async () => {
    const seen: BackendRequest[] = [];
    const backend: TextBackend = {
      complete: async (r): Promise<CompletionResult> => (seen.push(r), { text: 'return 1\nignored', finishReason: 'stop' }),
      stream: async () => ({ text: '', finishReason: null }),
    };
    assert.equal(await generateFirstLine(backend, { prefix: 'p', suffix: 's' }, { maxTokens: 7 }), 'return 1');
    assert.deepEqual(seen, [{ kind: 'fim', prefix: 'p', suffix: 's', options: { maxTokens: 7, temperature: 0, stop: ['\n'] } }]);
  });
});
