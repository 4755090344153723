import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MISSING_CITATION } from '../../e2e/fakeChatAnswer.cjs';
import type { ChatTurn } from '../../src/common/protocol/chatProtocol.ts';
import { closeAllEditors, squeeze, useFakeModel, waitFor } from './util/testEnv.ts';

suite('ask about this repository', () => {
  suiteSetup(async () => {
    await useFakeModel();
    const api = await squeeze();
    await waitFor('index ready', async () => (await api.index.whenIdle(), api.index.state.status === 'ready'), 60_000);
  });
  teardown(closeAllEditors);

  test('answers with path:line citations that resolve inside the workspace only', async () => {
    const api = await squeeze();
    // a question about deleted code makes the fake model also cite a file that does not exist
    const turn = await vscode.commands.executeCommand<ChatTurn>('squeeze.askQuestion', 'Where is the add function defined? Was a helper deleted?');
    assert.equal(turn.status, 'done', turn.error);
    assert.match(turn.answer, /mathutil\.py:\d+/);
    assert.ok(turn.answer.includes(MISSING_CITATION), 'the fake model must have cited a missing file');
    assert.equal(turn.citations[0]?.path, 'src/mathutil.py', JSON.stringify(turn.citations));
    const shown = new Set(turn.context?.items.filter((i) => i.status !== 'dropped').map((i) => i.path));
    assert.ok(turn.citations.every((c) => shown.has(c.path)), `a citation outside the excerpts: ${JSON.stringify(turn.citations)}`);
    assert.ok(!turn.citations.some((c) => MISSING_CITATION.startsWith(`${c.path}:`)), 'a citation of a missing file was kept');
    assert.ok(turn.context && turn.context.items.some((i) => i.status === 'included'), 'no context was included');
    assert.equal(api.lastRequest()?.report.surface, 'chat');
  });

  test('a citation opens its location; a path outside the workspace does not', async () => {
    const opened = await vscode.commands.executeCommand<boolean>('squeeze.openCitation', { path: 'src/mathutil.py', line: 4 });
    assert.equal(opened, true);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.fsPath.endsWith('mathutil.py'));
    assert.equal(editor.selection.active.line, 3);
    assert.equal(await vscode.commands.executeCommand<boolean>('squeeze.openCitation', { path: '../outside.py', line: 1 }), false);
    assert.equal(await vscode.commands.executeCommand<boolean>('squeeze.openCitation', { path: '/etc/passwd', line: 1 }), false);
  });

  test('"Show Context of Last Request" opens the report', async () => {
    await vscode.commands.executeCommand('squeeze.showLastContext');
    const doc = await waitFor('the context document', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'squeeze-context'));
    assert.match(doc.getText(), /last question request/);
    assert.match(doc.getText(), /\| included \| `src\/mathutil\.py:/);
  });
});
