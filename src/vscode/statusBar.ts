import * as vscode from 'vscode';
import type { Config } from './config.ts';
import { describeProgress, formatCount } from './index/firstIndexNotification.ts';
import type { WorkspaceIndex } from './index/workspaceIndex.ts';
import type { BackendHost, BackendInfo } from './services/backendHost.ts';
import type { IndexState } from './services/repoSearch.ts';

export interface StatusSources {
  readonly config: Config;
  readonly index: WorkspaceIndex;
  readonly backends: BackendHost;
  /** Average model latency of inline completions, when known. */
  readonly completionLatencyMs: () => number | undefined;
}

/** One status bar item: index state and progress, then model and provider; click for the Squeeze menu. */
export class SqueezeStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly sources: StatusSources;
  private readonly disposables: vscode.Disposable[];

  constructor(sources: StatusSources) {
    this.sources = sources;
    this.item = vscode.window.createStatusBarItem('squeeze.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Squeeze';
    this.item.command = 'squeeze.showMenu';
    this.disposables = [
      this.item,
      sources.index.onDidChangeState(() => this.update()),
      sources.backends.onDidChange(() => this.update()),
      sources.config.onDidChange(() => this.update()),
    ];
    this.update();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  update(): void {
    const state = this.sources.index.state;
    const backend = this.sources.backends.info;
    this.item.text = `${indexIcon(state)} Squeeze${indexLabel(state)} · ${backendLabel(backend)}`;
    this.item.tooltip = this.tooltip(state, backend);
    this.item.backgroundColor = state.status === 'error' || backend.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private tooltip(state: IndexState, backend: BackendInfo): vscode.MarkdownString {
    const inline = this.sources.config.get('inlineCompletions.enabled') ? 'on' : 'off';
    const latency = this.sources.completionLatencyMs();
    const lines = [
      '**Squeeze**',
      '',
      `Index: ${state.status}${state.progress ? ` (${describeProgress(state.progress)})` : ''}, ${formatCount(state.files)} files, ${formatCount(state.chunks)} chunks`,
      ...(state.error ? [`Index error: ${state.error}`] : []),
      `Model: ${backend.kind === 'none' ? 'none configured' : `${backend.model ?? '(server default)'} via ${backend.kind} (${STATE_TEXT[backend.state]})`}`,
      `Provider: ${backend.provider ?? '–'}${backend.detail ? ` (${backend.detail})` : ''}`,
      `Inline completions: ${inline}${latency !== undefined ? `, model latency about ${Math.round(latency)} ms` : ''}`,
      '',
      'Click for actions.',
    ];
    const md = new vscode.MarkdownString(lines.join('  \n'));
    md.isTrusted = false;
    return md;
  }
}

const STATE_TEXT: Record<BackendInfo['state'], string> = { none: 'none', idle: 'loads on first use', loading: 'loading', ready: 'ready', error: 'failed' };

function indexIcon(s: IndexState): string {
  switch (s.status) {
    case 'indexing':
      return '$(sync~spin)';
    case 'paused':
      return '$(debug-pause)';
    case 'error':
      return '$(warning)';
    case 'disabled':
      return '$(circle-slash)';
    default:
      return '$(database)';
  }
}

function indexLabel(s: IndexState): string {
  if (s.status === 'indexing') {
    const p = s.progress;
    return p && p.total > 0 && p.phase !== 'scan' ? ` indexing ${Math.floor((100 * p.done) / p.total)}%` : ' indexing';
  }
  if (s.status === 'paused') return ' paused';
  if (s.status === 'error') return ' index error';
  if (s.status === 'disabled') return ' index off';
  if (s.status === 'waiting') return ' waiting';
  return s.status === 'ready' ? ` ${formatCount(s.chunks)} chunks` : '';
}

function backendLabel(b: BackendInfo): string {
  if (b.kind === 'none') return 'no model';
  if (b.state === 'error') return `${b.kind} error`;
  const model = b.model ?? (b.kind === 'http' ? 'server default model' : 'model');
  return `${model} (${b.provider ?? b.kind})`;
}
