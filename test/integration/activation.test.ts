import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, squeeze, waitFor } from './util/testEnv.ts';

suite('activation', () => {
  test('activates on startup and returns its API', async () => {
    const api = await squeeze();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    assert.ok(api.statusText().includes('Squeeze'));
  });

  test('registers every command of package.json', async () => {
    const declared = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
    assert.ok(declared.includes('squeeze.askQuestion') && declared.includes('squeeze.reindexWorkspace') && declared.includes('squeeze.showLastContext'));
  });

  test('indexes the workspace in the worker on open', async () => {
    const api = await squeeze();
    await waitFor('the first index', async () => (await api.index.whenIdle(), api.index.state.status === 'ready' && api.index.state.chunks > 0), 60_000);
    const found = await api.search('retry with backoff', 5);
    assert.ok(found.hits.length > 0, 'no search hits');
    assert.ok(found.hits.some((h) => h.path === 'src/retry.py'), JSON.stringify(found.hits.map((h) => h.path)));
  });
});
