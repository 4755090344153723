import * as vscode from 'vscode';
import type { WorkspaceIndex } from './workspaceIndex.ts';

/** Path segments whose changes never matter to the index (the scanner skips them anyway). */
const NOISE = /(^|[\\/])(\.git|node_modules|\.squeeze)([\\/]|$)/;

/**
 * Follows the workspace: file changes mark their folder dirty after a quiet period (debounced, so a
 * branch switch is one run), and folder additions or removals update the index's folder list.
 */
export class IndexWatcher implements vscode.Disposable {
  private readonly index: WorkspaceIndex;
  private readonly debounceMs: number;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly dirty = new Map<string, vscode.Uri>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(index: WorkspaceIndex, debounceMs = 1000) {
    this.index = index;
    this.debounceMs = debounceMs;
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => this.onChange(u)),
      watcher.onDidChange((u) => this.onChange(u)),
      watcher.onDidDelete((u) => this.onChange(u)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void index.setFolders(vscode.workspace.workspaceFolders ?? [])),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  private onChange(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || NOISE.test(uri.fsPath)) return;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return;
    this.dirty.set(folder.uri.toString(), uri);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  private flush(): void {
    this.timer = undefined;
    for (const uri of this.dirty.values()) this.index.markDirty(uri);
    this.dirty.clear();
  }
}
