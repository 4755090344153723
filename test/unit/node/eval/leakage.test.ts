import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { buildEvalCorpus, type EvalCorpus } from '../../../../src/common/eval/evalCorpus.ts';
import type { EvalTask } from '../../../../src/common/eval/evalTask.ts';
import { contextText } from '../../../../src/common/eval/packing.ts';
import { buildContext, RETRIEVERS } from '../../../../src/common/eval/retrievers.ts';
import { loadRepoFiles } from '../../../../src/node/eval/repoFiles.ts';
import { readTasksFile } from '../../../../src/node/eval/runEval.ts';

const FIXTURE = path.resolve('test/fixtures/eval');
const BUDGETS = [{ unit: 'chars', size: 400 }, { unit: 'chars', size: 6000 }, { unit: 'tokens', size: 2000 }] as const;

function norm(line: string): string {
  return line.trim();
}

describe('eval leakage rule', () => {
  let tasks: EvalTask[] = [];
  let corpus: EvalCorpus;
  let fileText: Map<string, string>;

  before(async () => {
    tasks = await readTasksFile(path.join(FIXTURE, 'tasks.jsonl'));
    const files = await loadRepoFiles(path.join(FIXTURE, 'repo'));
    corpus = buildEvalCorpus(files);
    fileText = new Map(files.map((f) => [f.path, f.text]));
  });

  it('loads the fixture repository', () => {
    assert.equal(tasks.length, 5);
    assert.ok(corpus.chunks.some((c) => c.path === 'src/checkout.ts'));
  });

  it("never puts a line of the target file in the context unless it is in the prefix or suffix (or another file)", () => {
    let checked = 0;
    for (const task of tasks) {
      const known = new Set([...task.prefix.split('\n'), ...task.suffix.split('\n')].map(norm));
      const elsewhere = new Set([...fileText].filter(([p]) => p !== task.file).flatMap(([, t]) => t.split('\n').map(norm)));
      const targetLines = (fileText.get(task.file) ?? '').split('\n').map(norm).filter((l) => l.length > 3);
      for (const name of RETRIEVERS) {
        for (const budget of BUDGETS) {
          const context = new Set(contextText(buildContext(corpus, task, name, { budget })).split('\n').map(norm));
          for (const line of targetLines) {
            if (context.has(line)) assert.ok(known.has(line) || elsewhere.has(line), `${name} leaked '${line}' of ${task.file}`);
          }
          assert.ok(!context.has(task.groundtruth) || elsewhere.has(task.groundtruth), `${name} leaked the ground truth of ${task.id}`);
          checked++;
        }
      }
    }
    assert.equal(checked, tasks.length * RETRIEVERS.length * BUDGETS.length);
  });

  it('retrieves the definitions the target line needs from the other files', () => {
    const task = tasks.find((t) => t.groundtruth.includes('computeShippingFee'));
    assert.ok(task);
    const context = contextText(buildContext(corpus, task, 'ours+defs', { budget: { unit: 'chars', size: 2000 } }));
    assert.match(context, /computeShippingFee/);
    assert.doesNotMatch(context, /src\/checkout\.ts:/);
  });
});
