import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, setting, squeeze, waitFor, workspaceRoot } from './util/testEnv.ts';

suite('workspace index', () => {
  test('follows a new file (watcher, debounced incremental reindex)', async () => {
    const api = await squeeze();
    await api.index.whenIdle();
    const file = vscode.Uri.joinPath(workspaceRoot(), 'src', 'inventory.py');
    await vscode.workspace.fs.writeFile(file, Buffer.from('def restock_zebra_warehouse(count):\n    return count * 12\n'));
    try {
      const hit = await waitFor('the new file in search results', async () => {
        const found = await api.search('restock zebra warehouse', 3);
        return found.hits.find((h) => h.path === 'src/inventory.py');
      }, 30_000);
      assert.equal(hit.startLine, 1);
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });

  test('pause and resume', async () => {
    const api = await squeeze();
    await vscode.commands.executeCommand('squeeze.pauseIndexing');
    assert.equal(api.index.state.status, 'paused');
    assert.match(api.statusText(), /paused/);
    await vscode.commands.executeCommand('squeeze.resumeIndexing');
    await waitFor('ready after resume', async () => (await api.index.whenIdle(), api.index.state.status === 'ready'), 30_000);
  });

  test('"Reindex Workspace" rebuilds the index from scratch', async () => {
    const api = await squeeze();
    await vscode.commands.executeCommand('squeeze.reindexWorkspace');
    await waitFor('ready after reindex', async () => (await api.index.whenIdle(), api.index.state.status === 'ready' && api.index.state.chunks > 0), 60_000);
    assert.ok((await api.search('cart total', 3)).hits.some((h) => h.path === 'src/cart.py'));
  });

  test('an ONNX encoder folder in squeeze.models.encoderPath re-indexes with it (nested encoder worker) and search uses it', async () => {
    const api = await squeeze();
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const folder = vscode.Uri.joinPath(extension.extensionUri, 'test', 'models', 'tiny-encoder').fsPath;
    await api.index.whenIdle();
    await setting('models.encoderPath', folder);
    try {
      await waitFor('ready with the encoder', async () => (await api.index.whenIdle(), api.index.state.status === 'ready' && api.index.state.chunks > 0), 60_000);
      const found = await api.search('cart total', 4);
      assert.equal(found.hits.length, 4, JSON.stringify(found));
      for (const h of found.hits) assert.ok(h.score <= 1.0001 && h.score > 0.5, `tiny-encoder cosine ${h.score}`);
    } finally {
      await setting('models.encoderPath', '');
      await waitFor('ready with the hashed encoder again', async () => (await api.index.whenIdle(), api.index.state.status === 'ready'), 60_000);
    }
    assert.ok((await api.search('cart total', 3)).hits.some((h) => h.path === 'src/cart.py'));
  });
});
