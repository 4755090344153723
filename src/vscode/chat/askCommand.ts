import * as vscode from 'vscode';
import type { ChatTurn } from '../../common/protocol/chatProtocol.ts';
import type { BackendHost } from '../services/backendHost.ts';
import { NO_MODEL_MESSAGE, type ChatSession } from './chatSession.ts';
import type { ChatViewProvider } from './chatViewProvider.ts';

export interface AskDeps {
  readonly session: ChatSession;
  readonly view: ChatViewProvider;
  readonly backends: BackendHost;
}

/**
 * "Squeeze: Ask About This Repository": a question box (or the question passed as argument), then the
 * answer streams into the chat view under a cancellable progress notification. Resolves with the turn.
 */
export async function askAboutRepository(deps: AskDeps, question?: unknown): Promise<ChatTurn | undefined> {
  const text = typeof question === 'string' ? question : await vscode.window.showInputBox({
    title: 'Ask about this repository',
    prompt: 'Squeeze answers from the indexed code and cites path:line.',
    placeHolder: 'Where is the retry policy configured?',
    ignoreFocusOut: true,
  });
  if (!text?.trim()) return undefined;
  if (deps.backends.info.kind === 'none') {
    void vscode.window.showWarningMessage(`Squeeze: ${NO_MODEL_MESSAGE}`, 'Switch Backend').then((pick) => {
      if (pick) void vscode.commands.executeCommand('squeeze.switchBackend');
    });
  }
  await deps.view.reveal();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Squeeze: answering', cancellable: true },
    async (progress, token) => {
      progress.report({ message: 'retrieving context…' });
      const sub = deps.session.onDidPost((m) => {
        if (m.type === 'turnContext') progress.report({ message: 'generating…' });
      });
      try {
        return await deps.session.ask(text.trim(), token);
      } finally {
        sub.dispose();
      }
    },
  );
}
