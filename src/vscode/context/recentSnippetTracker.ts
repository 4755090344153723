/**
 * Feeds the recent-snippet ring (common/context/recentSnippets.ts) from the editor: the lines around an
 * edit (at most once a second per document and region) and, when the user switches editors, the lines
 * around the cursor of the editor left behind. Secret files and windows holding a secret are never
 * noted (the same rules as the index), nor documents outside `file`/`untitled` (output, git, settings).
 */
import * as vscode from 'vscode';
import { RecentSnippets, type RankedSnippet, type LineRange } from '../../common/context/recentSnippets.ts';
import { findSecretInText, isSecretName } from '../../common/scan/secretRules.ts';

const SCHEMES = new Set(['file', 'untitled']);
const EDIT_THROTTLE_MS = 1000;
/** Lines read around a noted line: enough for one window, never the whole document. */
const READ_LINES = 64;

export class RecentSnippetTracker implements vscode.Disposable {
  private readonly ring = new RecentSnippets();
  private readonly lastEdit = new Map<string, { line: number; at: number }>();
  private readonly subscriptions: vscode.Disposable[];
  private previous: vscode.TextEditor | undefined = vscode.window.activeTextEditor;

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.onSwitch(editor)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.lastEdit.delete(doc.uri.toString())),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.ring.forget(pathOf(uri)))),
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => this.ring.forget(pathOf(f.oldUri)))),
    ];
  }

  /** The recent windows most like `query`, without the cursor window. */
  rank(query: string, exclude: LineRange, limit: number): RankedSnippet[] {
    return limit > 0 ? this.ring.rank(query, { exclude, limit }) : [];
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const change = e.contentChanges[0];
    if (!change || !SCHEMES.has(e.document.uri.scheme)) return;
    const key = e.document.uri.toString();
    const line = change.range.start.line;
    const last = this.lastEdit.get(key);
    const now = Date.now();
    if (last && now - last.at < EDIT_THROTTLE_MS && Math.abs(last.line - line) < 8) return;
    this.lastEdit.set(key, { line, at: now });
    this.note(e.document, line);
  }

  private onSwitch(editor: vscode.TextEditor | undefined): void {
    const left = this.previous;
    this.previous = editor;
    if (left && !left.document.isClosed && SCHEMES.has(left.document.uri.scheme)) this.note(left.document, left.selection.active.line);
  }

  private note(doc: vscode.TextDocument, line: number): void {
    const path = pathOf(doc.uri);
    if (isSecretName(path)) return;
    const first = Math.max(0, line - READ_LINES / 2);
    const last = Math.min(doc.lineCount, first + READ_LINES);
    const lines = doc.getText(new vscode.Range(first, 0, last, 0)).split('\n');
    if (findSecretInText(lines.join('\n')) !== undefined) return;
    this.ring.note(path, doc.languageId, lines, line, first);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.lastEdit.clear();
  }
}

function pathOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1) : uri.path;
}
