import * as vscode from 'vscode';
import { NEVER_CANCELLED } from '../common/cancellation.ts';
import { scopedLogger } from '../common/log.ts';
import type { SqueezeApi } from './api.ts';
import { ChatSession } from './chat/chatSession.ts';
import { CHAT_VIEW_ID, ChatViewProvider } from './chat/chatViewProvider.ts';
import { CitationResolver } from './chat/citationResolver.ts';
import { registerCommands } from './commands.ts';
import { RecentSnippetTracker } from './context/recentSnippetTracker.ts';
import { SqueezeInlineCompletionProvider } from './completion/inlineCompletionProvider.ts';
import { Config, type ConfigChange } from './config.ts';
import { CONTEXT_SCHEME, ContextDocumentProvider } from './contextDocument.ts';
import { FirstIndexNotification } from './index/firstIndexNotification.ts';
import { IndexWatcher } from './index/indexWatcher.ts';
import { IndexWorkerClient } from './index/indexWorkerClient.ts';
import { WorkspaceIndex } from './index/workspaceIndex.ts';
import type { OutputChannelLogger } from './log.ts';
import { BackendHost } from './services/backendHost.ts';
import { LastRequestStore } from './services/lastRequest.ts';
import { SqueezeStatusBar } from './statusBar.ts';

/**
 * Builds the services and registers every surface. Everything created here is pushed to `owned`, so a
 * failed start can be undone completely and retried. Nothing heavy is loaded here: the index runs in a
 * worker, and the model backends load on first use.
 */
export async function startSqueeze(context: vscode.ExtensionContext, log: OutputChannelLogger, owned: vscode.Disposable[]): Promise<SqueezeApi> {
  const own = <T extends vscode.Disposable>(d: T): T => (owned.push(d), d);
  const config = own(new Config());
  log.info('settings', config.snapshot());
  const backends = own(new BackendHost(config, log));
  const storageDir = (context.storageUri ?? context.globalStorageUri).fsPath;
  const client = new IndexWorkerClient(vscode.Uri.joinPath(context.extensionUri, 'dist', 'workers', 'indexWorker.cjs').fsPath, scopedLogger(log, 'index'));
  owned.push({ dispose: () => client.dispose() });
  const index = own(new WorkspaceIndex({ client, config, log, storageDir }));
  own(new IndexWatcher(index));
  own(new FirstIndexNotification(index));
  const requests = own(new LastRequestStore());
  const recent = own(new RecentSnippetTracker());
  const completions = new SqueezeInlineCompletionProvider({ config, backends, search: index, requests, log, recent });
  own(vscode.languages.registerInlineCompletionItemProvider([{ scheme: 'file', pattern: '**' }, { scheme: 'untitled' }], completions));
  const citations = new CitationResolver();
  const session = own(new ChatSession({ config, backends, search: index, requests, citations, log }));
  const view = own(new ChatViewProvider(context.extensionUri, session, citations, log));
  own(vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view));
  const contextDoc = own(new ContextDocumentProvider(requests));
  own(vscode.workspace.registerTextDocumentContentProvider(CONTEXT_SCHEME, contextDoc));
  const status = own(new SqueezeStatusBar({ config, index, backends, completionLatencyMs: () => completions.averageLatencyMs }));
  owned.push(...registerCommands({ config, log, index, backends, session, view, citations, contextDoc }));
  own(config.onDidChange((change) => onConfigChange(change, { config, log, backends, index, completions })));
  await index.setFolders(vscode.workspace.workspaceFolders ?? []);
  backends.warmUp();
  return {
    index: { get state() { return index.state; }, whenIdle: () => index.whenIdle() },
    backend: () => backends.info,
    lastRequest: () => requests.last,
    lastCompletion: () => completions.lastOutcome,
    completionCounts: () => completions.counts,
    chat: { get resolved() { return view.resolved; }, get lastRendered() { return view.lastRendered; }, turns: () => session.conversation },
    statusText: () => status.text,
    search: (query, k) => index.search(query, k, NEVER_CANCELLED),
  };
}

interface ChangeTargets {
  readonly config: Config;
  readonly log: OutputChannelLogger;
  readonly backends: BackendHost;
  readonly index: WorkspaceIndex;
  readonly completions: SqueezeInlineCompletionProvider;
}

function onConfigChange(change: ConfigChange, t: ChangeTargets): void {
  t.log.info(`settings changed: ${change.keys.join(', ') || 'files.exclude'}`, t.config.snapshot());
  if (change.areas.has('backend')) {
    t.backends.reset();
    t.completions.clearCache();
    t.backends.warmUp();
  }
  if (change.areas.has('index')) t.index.refreshAll(false);
}
