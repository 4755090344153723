import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Logger } from '../../common/log.ts';
import { isWebviewMessage, type HostMessage, type WebviewMessage } from '../../common/protocol/chatProtocol.ts';
import type { ChatSession } from './chatSession.ts';
import type { CitationResolver } from './citationResolver.ts';

export const CHAT_VIEW_ID = 'squeeze.chatView';

export interface RenderedInfo {
  readonly id: string;
  readonly citations: number;
  readonly codeBlocks: number;
  readonly contextItems: number;
  /** Script-capable elements or attributes left in the rendered answer (must be 0). */
  readonly unsafeNodes: number;
}

/**
 * The chat view in the Squeeze activity-bar container: a webview with a strict CSP (nonce'd script from
 * `dist/`, stylesheet from `media/`, nothing else), fed by the `ChatSession`. The conversation lives in
 * the host, so a view that was hidden and disposed re-syncs when it comes back.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly extensionUri: vscode.Uri;
  private readonly session: ChatSession;
  private readonly citations: CitationResolver;
  private readonly log: Logger;
  private readonly disposables: vscode.Disposable[] = [];
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  /** What the view last reported as rendered (status and tests). */
  lastRendered: RenderedInfo | undefined;

  constructor(extensionUri: vscode.Uri, session: ChatSession, citations: CitationResolver, log: Logger) {
    this.extensionUri = extensionUri;
    this.session = session;
    this.citations = citations;
    this.log = log;
    this.disposables.push(
      session.onDidPost((m) => this.post(m)),
      vscode.window.onDidChangeActiveTextEditor((e) => (this.lastEditor = e ?? this.lastEditor)),
    );
  }

  /** The view exists and its script is running (it sent `ready`). */
  get resolved(): boolean {
    return this.view !== undefined && this.ready;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    // options first (scripts, local roots), then the document, which carries its own CSP
    view.webview.options = { enableScripts: true, localResourceRoots: [media, dist] };
    view.webview.html = this.html(view.webview);
    const subs = [
      view.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
        this.ready = false;
        for (const s of subs) s.dispose();
      }),
    ];
  }

  /** Shows the view and puts the focus in its input. */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private post(m: HostMessage): void {
    void this.view?.webview.postMessage(m);
  }

  private onMessage(raw: unknown): void {
    if (!isWebviewMessage(raw)) {
      this.log.warn('[chat] ignored a malformed message from the chat view');
      return;
    }
    void this.handle(raw).catch((e: unknown) => this.log.error('[chat] handling a view message failed', e));
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        return this.post(this.session.snapshot());
      case 'ask':
        if (m.text.trim()) await this.session.ask(m.text.trim());
        return;
      case 'stop':
        return this.session.stop();
      case 'newConversation':
        return this.session.clear();
      case 'openCitation':
        await this.citations.open(m.citation);
        return;
      case 'copyCode':
        await vscode.env.clipboard.writeText(m.code);
        vscode.window.setStatusBarMessage('Squeeze: code copied', 2000);
        return;
      case 'insertCode':
        return this.insert(m.code);
      case 'rendered':
        this.lastRendered = { id: m.id, citations: m.citations, codeBlocks: m.codeBlocks, contextItems: m.contextItems, unsafeNodes: m.unsafeNodes };
        return;
    }
  }

  private async insert(code: string): Promise<void> {
    const editor = this.lastEditor;
    if (!editor || editor.document.isClosed) {
      void vscode.window.showWarningMessage('Squeeze: open an editor to insert the code into.');
      return;
    }
    await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    await editor.insertSnippet(new vscode.SnippetString().appendText(code), editor.selections);
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'chat.css'));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Squeeze Chat</title>
</head>
<body>
<div id="app" class="app">
  <div class="toolbar"><span class="title">Ask about this repository</span><button id="new" type="button" class="secondary" title="Start a new conversation">New</button></div>
  <main id="turns" class="turns" role="log" aria-live="polite" aria-label="Conversation"></main>
  <form id="composer" class="composer">
    <textarea id="input" rows="3" aria-label="Question about this repository" placeholder="Ask about this repository (Enter to send, Shift+Enter for a new line)"></textarea>
    <div class="actions"><button id="stop" type="button" class="secondary" hidden>Stop</button><button id="send" type="submit">Ask</button></div>
  </form>
</div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}
