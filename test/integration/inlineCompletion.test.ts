import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, editorWith, setting, squeeze, triggerAndCommit, useFakeModel, waitFor } from './util/testEnv.ts';

suite('inline completions', () => {
  suiteSetup(async () => {
    await useFakeModel();
    const api = await squeeze();
    await waitFor('the http backend', () => api.backend().kind === 'http');
  });
  teardown(closeAllEditors);

  test('a single-line completion is inserted into a real document, cut at the end of the line', async () => {
    const api = await squeeze();
    const editor = await editorWith('const total = ', 0, 14);
    const text = await triggerAndCommit(editor.document);
    assert.equal(text, 'const total = add(40, 2); // from squeeze');
    assert.ok(['OK', 'CACHE_HIT', 'TYPE_AHEAD'].includes(api.lastCompletion()?.reason ?? ''), `reason ${api.lastCompletion()?.reason}`);
    const record = api.lastRequest();
    assert.equal(record?.report.surface, 'completion');
  });

  test('a block completion is trimmed to the block and does not repeat the closing brace', async () => {
    const editor = await editorWith('function multiply(a, b) {\n  \n}\n', 1, 2);
    const text = await triggerAndCommit(editor.document);
    assert.equal(text, 'function multiply(a, b) {\n  return a * b;\n}\n');
  });

  test('nothing is shown and nothing throws when the model has no completion', async () => {
    const api = await squeeze();
    const editor = await editorWith('x = ', 0, 4);
    const text = await triggerAndCommit(editor.document, 4);
    assert.equal(text, 'x = ');
    assert.ok(['EMPTY_COMPLETION', 'CACHE_HIT'].includes(api.lastCompletion()?.reason ?? ''), `reason ${api.lastCompletion()?.reason}`);
  });

  test('code edited a moment ago in another editor, unsaved, reaches the completion prompt as "recently edited"', async () => {
    const api = await squeeze();
    const other = await editorWith('// helpers\n', 1, 0);
    await other.edit((e) => e.insert(new vscode.Position(1, 0), 'export function shippingCostFor(weightKg: number) {\n  return weightKg * 4.5;\n}\n'));
    const editor = await editorWith('const weightKg = 3;\nconst cost = ', 1, 13);
    await triggerAndCommit(editor.document, 3);
    const items = api.lastRequest()?.report.items ?? [];
    const recent = items.find((i) => i.symbol === 'recently edited');
    assert.ok(recent, `no recently edited item in ${JSON.stringify(items.map((i) => [i.path, i.symbol, i.status]))}`);
    assert.ok(recent.path.endsWith('.txt') && recent.status !== 'dropped', JSON.stringify(recent));
  });

  test('with no model configured it says so in the status bar and offers nothing', async () => {
    const api = await squeeze();
    await setting('backend.kind', 'none');
    try {
      await waitFor('status "no model"', () => api.statusText().includes('no model'));
      const editor = await editorWith('const total = ', 0, 14);
      assert.equal(await triggerAndCommit(editor.document, 3), 'const total = ');
      assert.equal(api.lastCompletion()?.reason, 'NO_MODEL');
    } finally {
      await useFakeModel();
    }
  });
});
