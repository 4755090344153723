import * as vscode from 'vscode';
import type { Logger } from '../common/log.ts';
import type { Citation } from '../common/protocol/citations.ts';
import { askAboutRepository } from './chat/askCommand.ts';
import type { ChatSession } from './chat/chatSession.ts';
import type { ChatViewProvider } from './chat/chatViewProvider.ts';
import type { CitationResolver } from './chat/citationResolver.ts';
import type { Config } from './config.ts';
import type { ContextDocumentProvider } from './contextDocument.ts';
import type { WorkspaceIndex } from './index/workspaceIndex.ts';
import { downloadModel } from './models/downloadModel.ts';
import { selectModelFolder, switchBackend } from './models/modelCommands.ts';
import type { BackendHost } from './services/backendHost.ts';

export interface CommandDeps {
  readonly config: Config;
  readonly log: Logger & { show(): void };
  readonly index: WorkspaceIndex;
  readonly backends: BackendHost;
  readonly session: ChatSession;
  readonly view: ChatViewProvider;
  readonly citations: CitationResolver;
  readonly contextDoc: ContextDocumentProvider;
}

type Handler = (d: CommandDeps, ...args: unknown[]) => unknown;

/** Every command of the extension; package.json `contributes.commands` lists the same ids. */
export const COMMANDS: Readonly<Record<string, Handler>> = {
  'squeeze.askQuestion': (d, q) => askAboutRepository({ session: d.session, view: d.view, backends: d.backends }, q),
  'squeeze.reindexWorkspace': (d) => d.index.refreshAll(true),
  'squeeze.pauseIndexing': (d) => d.index.pause(),
  'squeeze.resumeIndexing': (d) => d.index.resume(),
  'squeeze.searchRepository': (d, q) => searchRepository(d, q),
  'squeeze.showLastContext': (d) => d.contextDoc.show(),
  'squeeze.selectModelFolder': (d, dir) => selectModelFolder(d.config, 'decoder', dir),
  'squeeze.selectEncoderFolder': (d, dir) => selectModelFolder(d.config, 'encoder', dir),
  'squeeze.switchBackend': (d) => switchBackend(d.config, d.log),
  'squeeze.downloadModel': (d, name) => downloadModel(d.config, d.log, name),
  'squeeze.showLogs': (d) => d.log.show(),
  'squeeze.openCitation': (d, c) => (isCitationArg(c) ? d.citations.open(c) : false),
  'squeeze.newConversation': (d) => d.session.clear(),
  'squeeze.stopAnswer': (d) => d.session.stop(),
  'squeeze.toggleInlineCompletions': (d) => d.config.update('inlineCompletions.enabled', !d.config.get('inlineCompletions.enabled')),
  'squeeze.showMenu': (d) => showMenu(d),
};

function isCitationArg(c: unknown): c is Citation {
  return typeof c === 'object' && c !== null && typeof (c as Citation).path === 'string' && Number.isInteger((c as Citation).line);
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) => vscode.commands.registerCommand(id, (...args: unknown[]) => handler(deps, ...args)));
}

async function searchRepository(d: CommandDeps, q: unknown): Promise<void> {
  const query = typeof q === 'string' ? q : await vscode.window.showInputBox({ title: 'Squeeze: search the repository', placeHolder: 'retry with backoff' });
  if (!query?.trim()) return;
  const source = new vscode.CancellationTokenSource();
  try {
    const found = await d.index.search(query, 20, source.token);
    const picks = found.hits.map((h) => ({ label: `${h.path}:${h.startLine}`, description: h.symbolPath.join(' > '), detail: `score ${h.score.toFixed(3)}  ${h.text.split('\n').find((l) => l.trim())?.trim() ?? ''}`, hit: h }));
    const pick = await vscode.window.showQuickPick(picks, { title: found.note ? `Results (${found.note})` : `Results for "${query}"`, matchOnDetail: true });
    if (pick) await d.citations.open({ path: pick.hit.path, line: pick.hit.startLine });
  } finally {
    source.dispose();
  }
}

async function showMenu(d: CommandDeps): Promise<void> {
  const paused = d.index.paused;
  const items: (vscode.QuickPickItem & { command: string })[] = [
    { label: '$(comment-discussion) Ask about this repository', command: 'squeeze.askQuestion' },
    { label: '$(list-unordered) Show context of last request', command: 'squeeze.showLastContext' },
    { label: paused ? '$(debug-continue) Resume indexing' : '$(debug-pause) Pause indexing', command: paused ? 'squeeze.resumeIndexing' : 'squeeze.pauseIndexing' },
    { label: '$(refresh) Reindex workspace', command: 'squeeze.reindexWorkspace' },
    { label: '$(server) Switch backend', command: 'squeeze.switchBackend' },
    { label: '$(folder-opened) Select model folder', command: 'squeeze.selectModelFolder' },
    { label: '$(cloud-download) Download model', command: 'squeeze.downloadModel' },
    { label: `$(lightbulb) ${d.config.get('inlineCompletions.enabled') ? 'Disable' : 'Enable'} inline completions`, command: 'squeeze.toggleInlineCompletions' },
    { label: '$(output) Open logs', command: 'squeeze.showLogs' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Squeeze' });
  if (pick) await vscode.commands.executeCommand(pick.command);
}
