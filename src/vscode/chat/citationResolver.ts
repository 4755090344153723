import fs from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Citation } from '../../common/protocol/citations.ts';
import { isSafeRelativePath } from '../../common/protocol/citations.ts';

/**
 * Maps `path:line` citations to files of the workspace. Only a relative path that resolves, after
 * symlinks, to an existing file inside a workspace folder is accepted; anything else is ignored.
 */
export class CitationResolver {
  async resolve(c: Citation): Promise<vscode.Uri | undefined> {
    if (!isSafeRelativePath(c.path) || !Number.isInteger(c.line) || c.line < 1) return undefined;
    const folders = vscode.workspace.workspaceFolders ?? [];
    const multi = folders.length > 1;
    for (const folder of folders) {
      if (folder.uri.scheme !== 'file') continue;
      const first = c.path.split('/')[0];
      const rel = multi && first === folder.name ? c.path.slice(first.length + 1) : c.path;
      const file = await insideFolder(folder.uri.fsPath, rel);
      if (file) return vscode.Uri.file(file);
    }
    return undefined;
  }

  /** Keeps the citations that resolve, in order. */
  async filter(list: readonly Citation[]): Promise<Citation[]> {
    const ok = await Promise.all(list.map(async (c) => (await this.resolve(c)) !== undefined));
    return list.filter((_, i) => ok[i]);
  }

  /** Opens the cited place; returns false (and opens nothing) when it is not in the workspace. */
  async open(c: Citation): Promise<boolean> {
    const uri = await this.resolve(c);
    if (!uri) {
      void vscode.window.showWarningMessage(`Squeeze: ${c.path}:${c.line} is not a file of this workspace.`);
      return false;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = Math.min(c.line, doc.lineCount) - 1;
    const end = Math.min(c.endLine ?? c.line, doc.lineCount) - 1;
    const range = new vscode.Range(line, 0, end, doc.lineAt(end).text.length);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(range.start, range.start), preview: true, viewColumn: vscode.ViewColumn.One });
    return true;
  }
}

async function insideFolder(root: string, rel: string): Promise<string | undefined> {
  const candidate = path.resolve(root, ...rel.split('/'));
  try {
    const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(candidate)]);
    const back = path.relative(realRoot, realFile);
    if (back === '' || back.startsWith('..') || path.isAbsolute(back)) return undefined;
    return (await fs.stat(realFile)).isFile() ? candidate : undefined;
  } catch {
    return undefined;
  }
}
