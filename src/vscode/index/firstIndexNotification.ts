import * as vscode from 'vscode';
import type { IndexState } from '../services/repoSearch.ts';
import type { WorkspaceIndex } from './workspaceIndex.ts';

/**
 * A cancellable progress notification while a folder is indexed for the first time. Later, incremental
 * runs only show in the status bar. Cancelling pauses indexing (resume from the status bar menu).
 */
export class FirstIndexNotification implements vscode.Disposable {
  private readonly index: WorkspaceIndex;
  private readonly subscription: vscode.Disposable;
  private active = false;

  constructor(index: WorkspaceIndex) {
    this.index = index;
    this.subscription = index.onDidChangeState((s) => this.onState(s));
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private onState(state: IndexState): void {
    if (this.active || !state.firstIndex || state.status !== 'indexing') return;
    this.active = true;
    void vscode.window
      .withProgress({ location: vscode.ProgressLocation.Notification, title: 'Squeeze: indexing the workspace', cancellable: true }, (progress, token) =>
        this.follow(progress, token),
      )
      .then(() => (this.active = false));
  }

  private follow(progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<void> {
    return new Promise<void>((resolve) => {
      let shown = 0;
      const update = (s: IndexState): void => {
        if (!s.firstIndex || s.status !== 'indexing') return finish();
        const p = s.progress;
        const pct = p && p.total > 0 ? Math.floor((100 * p.done) / p.total) : 0;
        progress.report({ message: p ? describeProgress(p) : undefined, increment: pct > shown ? pct - shown : 0 });
        shown = Math.max(shown, pct);
      };
      const sub = this.index.onDidChangeState(update);
      const cancel = token.onCancellationRequested(() => {
        this.index.pause();
        void vscode.window.showInformationMessage('Squeeze: indexing paused. Resume it from the status bar or with "Squeeze: Resume Indexing".');
        finish();
      });
      function finish(): void {
        sub.dispose();
        cancel.dispose();
        resolve();
      }
      update(this.index.state);
    });
  }
}

export function describeProgress(p: NonNullable<IndexState['progress']>): string {
  if (p.phase === 'scan') return `${p.folder}: scanning (${formatCount(p.done)} files seen)`;
  return p.total > 0 ? `${p.folder}: ${p.phase} ${formatCount(p.done)}/${formatCount(p.total)}` : `${p.folder}: ${p.phase}`;
}

/** 12345 → "12,345" (without Intl: its first use costs tens of milliseconds at activation). */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
