import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ChatTurn } from '../../src/common/protocol/chatProtocol.ts';
import { closeAllEditors, editorWith, EXTENSION_ID, setting, squeeze, triggerAndCommit, useFakeModel, waitFor } from './util/testEnv.ts';

// The local backend with the project's tiny random-weight decoder (test/models/tiny-decoder): what it
// writes is noise, so these tests check the plumbing (load, provider, FIM, chat, no errors), not text.
suite('local ONNX backend (tiny test model)', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await setting('models.decoderPath', path.join(ext.extensionPath, 'test', 'models', 'tiny-decoder'));
    await setting('backend.kind', 'onnx');
  });
  suiteTeardown(async () => {
    await setting('models.decoderPath', undefined);
    await useFakeModel();
  });
  teardown(closeAllEditors);

  test('loads on first use, runs on the CPU provider, and completes without errors', async () => {
    const api = await squeeze();
    const editor = await editorWith('def fibonacci(n):\n    ', 1, 4);
    await triggerAndCommit(editor.document, 3);
    const info = await waitFor('the decoder to load', () => (api.backend().state === 'ready' || api.backend().state === 'error' ? api.backend() : undefined), 60_000);
    assert.equal(info.state, 'ready', info.detail);
    assert.equal(info.provider, 'cpu');
    assert.equal(info.model, 'tiny-decoder');
    const reason = api.lastCompletion()?.reason;
    assert.ok(reason && !['BACKEND_ERROR', 'MODEL_UNAVAILABLE'].includes(reason), `reason ${reason}`);
  });

  test('answers a question in the chat (ChatML prompt)', async () => {
    const turn = await vscode.commands.executeCommand<ChatTurn>('squeeze.askQuestion', 'Where is add defined?');
    assert.equal(turn.status, 'done', turn.error);
    assert.ok(turn.context && turn.context.items.length > 0);
  });
});
