import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EVAL_COMMAND } from '../../../../src/cli/commands/evalCommand.ts';
import { RETRIEVERS } from '../../../../src/common/eval/retrievers.ts';
import { captureIo } from '../../support/captureOutput.ts';

describe('squeeze eval', () => {
  it('writes results, a JSON summary and a markdown table', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'squeeze-eval-'));
    try {
      const c = captureIo();
      const code = await EVAL_COMMAND.run([path.resolve('test/fixtures/eval/tasks.jsonl'), '--budget-chars', '1500', '--out', dir], c);
      assert.equal(code, 0, c.stderr.text);
      const md = await fs.readFile(path.join(dir, 'summary.md'), 'utf8');
      assert.match(md, /\| ours\+defs \| all \| 5 \|/);
      assert.match(c.stdout.text, /identifier recall/);
      const results = (await fs.readFile(path.join(dir, 'results.jsonl'), 'utf8')).trim().split('\n');
      assert.equal(results.length, 5 * RETRIEVERS.length);
      const summary = JSON.parse(await fs.readFile(path.join(dir, 'summary.json'), 'utf8')) as { rows: unknown[] };
      assert.ok(summary.rows.length > 0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects two budgets and unknown retrievers', async () => {
    await assert.rejects(EVAL_COMMAND.run(['t.jsonl', '--budget', '5', '--budget-chars', '9'], captureIo()), /not both/);
    await assert.rejects(EVAL_COMMAND.run(['t.jsonl', '--retriever', 'magic'], captureIo()), /unknown retriever/);
  });
});
