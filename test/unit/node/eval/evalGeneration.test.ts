import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EVAL_COMMAND } from '../../../../src/cli/commands/evalCommand.ts';
import { parseTasks, type EvalTask } from '../../../../src/common/eval/evalTask.ts';
import { answer, FakeOpenAiServer } from '../backend/fakeOpenAiServer.ts';
import { captureIo } from '../../support/captureOutput.ts';

const TASKS = path.resolve('test/fixtures/eval/tasks.jsonl');
const TINY_DECODER = path.resolve('test/models/tiny-decoder');

interface Row {
  readonly id: string;
  readonly retriever: string;
  readonly generated?: string;
  readonly exactMatch?: boolean;
  readonly editSimilarity?: number;
}

async function runEval(args: readonly string[]): Promise<{ rows: Row[]; md: string; summary: { generation?: unknown; rows: { retriever: string; language: string; exactMatch?: { mean: number }; editSimilarity?: { mean: number } }[] } }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'squeeze-evalgen-'));
  try {
    const c = captureIo();
    const code = await EVAL_COMMAND.run([TASKS, '--budget-chars', '1200', '--out', dir, ...args], c);
    assert.equal(code, 0, c.stderr.text);
    const rows = (await fs.readFile(path.join(dir, 'results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Row);
    return { rows, md: await fs.readFile(path.join(dir, 'summary.md'), 'utf8'), summary: JSON.parse(await fs.readFile(path.join(dir, 'summary.json'), 'utf8')) };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe('squeeze eval generation metrics', () => {
  let server: FakeOpenAiServer;
  let tasks: EvalTask[];

  before(async () => {
    tasks = parseTasks(await fs.readFile(TASKS, 'utf8'));
    server = await FakeOpenAiServer.start();
    // Answers the ground truth (then more lines) for the first task, a near miss for the second, junk otherwise
    // (the server takes the suffix apart, so the prompt ends with the text before the cursor).
    server.handle('/v1/completions', (req, res) => {
      const prompt = String(req.json.prompt ?? '');
      const task = tasks.find((t) => prompt.endsWith(t.prefix.slice(-60)));
      const text = task === tasks[0] ? `${task?.groundtruth}\nnext line` : task === tasks[1] ? `${task?.groundtruth.slice(0, -2)}` : '???';
      answer(req, res, [text], 'completion');
    });
  });

  after(async () => server.close());

  it('completes every task × retriever through an OpenAI-compatible endpoint and scores the first line', async () => {
    const { rows, md, summary } = await runEval(['--retriever', 'ours', '--retriever', 'infile', '--endpoint', server.base, '--model', 'qwen2.5-coder:1.5b']);
    const completions = server.requests.filter((r) => r.path === '/v1/completions');
    assert.equal(completions.length, tasks.length * 2);
    assert.ok(completions.every((r) => r.json.temperature === 0 && (r.json.stop as string[]).includes('\n') && r.json.model === 'qwen2.5-coder:1.5b'));
    assert.ok(completions.some((r) => String(r.json.prompt).includes('Related code from the repository')));
    const first = rows.find((r) => r.id === tasks[0]!.id && r.retriever === 'ours');
    assert.deepEqual([first?.generated, first?.exactMatch, first?.editSimilarity], [tasks[0]!.groundtruth, true, 1]);
    const second = rows.find((r) => r.id === tasks[1]!.id && r.retriever === 'ours');
    assert.equal(second?.exactMatch, false);
    assert.ok((second?.editSimilarity ?? 0) > 0.9 && (second?.editSimilarity ?? 1) < 1);
    const all = summary.rows.find((r) => r.retriever === 'ours' && r.language === 'all');
    const expected = rows.filter((r) => r.retriever === 'ours').reduce((s, r) => s + (r.editSimilarity ?? 0), 0) / tasks.length;
    assert.ok(Math.abs((all?.editSimilarity?.mean ?? -1) - expected) < 1e-9);
    assert.equal(all?.exactMatch?.mean, 1 / tasks.length);
    assert.match(md, /exact match \[95% CI\] \| edit similarity \[95% CI\]/);
    assert.match(md, /generation: http:\/\/127\.0\.0\.1:\d+\/v1 \(qwen2\.5-coder:1\.5b\)/);
  });

  it('runs the local ONNX decoder (--model DIR): plumbing and metrics, whatever the tiny model says', async () => {
    const { rows, md } = await runEval(['--retriever', 'ours', '--limit', '2', '--model', TINY_DECODER, '--max-tokens', '4']);
    assert.equal(rows.length, 2);
    for (const r of rows) {
      assert.equal(typeof r.generated, 'string');
      assert.ok(!r.generated?.includes('\n'));
      assert.ok((r.editSimilarity ?? -1) >= 0 && (r.editSimilarity ?? 2) <= 1);
      assert.equal(typeof r.exactMatch, 'boolean');
    }
    assert.match(md, /\| ours \| all \| 2 \|.*\|.*\|.*\|.*\| [0-9.]+ \[[0-9.]+, [0-9.]+\] \| [0-9.]+ \[[0-9.]+, [0-9.]+\] \|/);
  });

  it('has no generation columns without a model', async () => {
    const { rows, md } = await runEval(['--retriever', 'ours', '--limit', '1']);
    assert.equal(rows[0]?.generated, undefined);
    assert.doesNotMatch(md, /exact match/);
  });
});
