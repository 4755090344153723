import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatTurn } from '../../src/common/protocol/chatProtocol.ts';
import { sleep, squeeze, useFakeModel, waitFor } from './util/testEnv.ts';

/** Focuses the chat view and waits until its webview has resolved. */
async function showChatView(api: Awaited<ReturnType<typeof squeeze>>): Promise<void> {
  await vscode.commands.executeCommand('squeeze.chatView.focus');
  await waitFor('the chat view to resolve', () => api.chat.resolved, 30_000);
}

suite('chat view', () => {
  suiteSetup(useFakeModel);

  test('resolves in its activity-bar container and renders a streamed answer', async () => {
    const api = await squeeze();
    await showChatView(api);
    const turn = await vscode.commands.executeCommand<ChatTurn>('squeeze.askQuestion', 'How is the cart total computed?');
    assert.equal(turn.status, 'done', turn.error);
    const rendered = await waitFor('the view to render the answer', () => (api.chat.lastRendered?.id === turn.id ? api.chat.lastRendered : undefined));
    assert.ok(rendered.citations >= 1, `citation chips: ${rendered.citations}`);
    assert.ok(rendered.codeBlocks >= 1, `code blocks: ${rendered.codeBlocks}`);
    assert.ok(rendered.contextItems >= 1, `context items: ${rendered.contextItems}`);
  });

  test('a hostile answer renders with nothing that could run code', async () => {
    const api = await squeeze();
    await showChatView(api);
    const turn = await vscode.commands.executeCommand<ChatTurn>('squeeze.askQuestion', 'Give me a hostile answer, please');
    assert.equal(turn.status, 'done', turn.error);
    assert.ok(turn.answer.includes('<script>'), 'the fake server must have sent the hostile answer');
    const rendered = await waitFor('the view to render the answer', () => (api.chat.lastRendered?.id === turn.id ? api.chat.lastRendered : undefined));
    assert.equal(rendered.unsafeNodes, 0, 'scripts, frames, on* handlers or javascript: URLs survived sanitising');
  });

  test('the stop button (command) stops a streaming answer', async () => {
    const api = await squeeze();
    const pending = vscode.commands.executeCommand<ChatTurn>('squeeze.askQuestion', 'Please answer slowly: what does retry do?');
    await waitFor('streaming to start', () => api.chat.turns().some((t) => t.status === 'streaming' && t.answer.length > 0), 20_000);
    await vscode.commands.executeCommand('squeeze.stopAnswer');
    const turn = await pending;
    assert.equal(turn.status, 'stopped');
    assert.ok(turn.answer.length < 600, 'the answer was not cut short');
  });

  test('new conversation clears the view, and it survives hide/show', async () => {
    const api = await squeeze();
    await vscode.commands.executeCommand('squeeze.newConversation');
    assert.equal(api.chat.turns().length, 0);
    const turn = await vscode.commands.executeCommand<ChatTurn>('squeeze.askQuestion', 'Where is add defined?');
    await vscode.commands.executeCommand('workbench.view.explorer');
    await sleep(300);
    await vscode.commands.executeCommand('squeeze.chatView.focus');
    await waitFor('the view to come back', () => api.chat.resolved);
    assert.equal(api.chat.turns().at(-1)?.id, turn.id);
  });
});
