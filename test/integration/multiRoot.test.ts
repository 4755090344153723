import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatTurn } from '../../src/common/protocol/chatProtocol.ts';
import { closeAllEditors, squeeze, useFakeModel, waitFor } from './util/testEnv.ts';

// Runs only in the second workbench, opened on test/integration/multiroot/multi.code-workspace.
suite('multi-root workspace', () => {
  suiteSetup(useFakeModel);
  teardown(closeAllEditors);

  test('indexes every folder; hits carry the folder name', async () => {
    const api = await squeeze();
    assert.equal(vscode.workspace.workspaceFolders?.length, 2);
    await waitFor('both folders indexed', async () => (await api.index.whenIdle(), api.index.state.status === 'ready' && api.index.state.files >= 2), 60_000);
    const refunds = await api.search('issue refund amount paid', 3);
    assert.equal(refunds.hits[0]?.path, 'payments/src/refunds.py');
    const orders = await api.search('place order customer cart', 3);
    assert.equal(orders.hits[0]?.path, 'shop/src/orders.py');
  });

  test('a citation with a folder prefix opens the file in that folder', async () => {
    const turn = await vscode.commands.executeCommand<ChatTurn>('squeeze.askQuestion', 'How is a refund issued?');
    assert.equal(turn.status, 'done', turn.error);
    assert.deepEqual(turn.citations.map((c) => c.path), ['payments/src/refunds.py']);
    const first = turn.citations[0];
    assert.ok(first);
    assert.equal(await vscode.commands.executeCommand('squeeze.openCitation', first), true);
    assert.match(vscode.window.activeTextEditor?.document.uri.fsPath ?? '', /payments[\\/]src[\\/]refunds\.py$/);
  });
});
