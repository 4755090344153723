import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, editorWith, setting, squeeze, triggerAndCommit, useFakeModel, waitFor } from './util/testEnv.ts';

suite('settings apply without a restart', () => {
  suiteSetup(useFakeModel);
  teardown(closeAllEditors);

  test('disabling inline completions takes effect at once, and enabling again restores them', async () => {
    const api = await squeeze();
    const doc = (await editorWith('const total = ', 0, 14)).document;
    await setting('inlineCompletions.enabled', false);
    try {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await waitFor('a DISABLED decision', () => api.lastCompletion()?.reason === 'DISABLED');
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      assert.equal(doc.getText(), 'const total = ');
    } finally {
      await setting('inlineCompletions.enabled', true);
    }
    // VS Code does not ask again for an unchanged document and cursor: a new request needs a new state
    const fresh = (await editorWith('const total = ', 0, 14)).document;
    assert.equal(await triggerAndCommit(fresh), 'const total = add(40, 2); // from squeeze', `last reason ${api.lastCompletion()?.reason}`);
  });

  test('switching the backend updates the status bar', async () => {
    const api = await squeeze();
    await setting('backend.kind', 'none');
    await waitFor('no model', () => api.backend().kind === 'none' && api.statusText().includes('no model'));
    await setting('backend.model', 'custom-model');
    await setting('backend.kind', 'http');
    await waitFor('the http model in the status bar', () => api.statusText().includes('custom-model (http)'));
    await setting('backend.model', undefined);
  });
});
