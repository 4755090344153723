import * as vscode from 'vscode';
import { countByStatus } from '../common/protocol/contextReport.ts';
import type { LastRequestStore, RequestRecord } from './services/lastRequest.ts';

export const CONTEXT_SCHEME = 'squeeze-context';
const URI = vscode.Uri.from({ scheme: CONTEXT_SCHEME, path: '/Last Request.md' });

/** "Show Context of Last Request": a read-only Markdown document that follows the last request. */
export class ContextDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly store: LastRequestStore;
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor(store: LastRequestStore) {
    this.store = store;
    this.subscription = store.onDidChange(() => this.emitter.fire(URI));
  }

  provideTextDocumentContent(): string {
    const r = this.store.last;
    return r ? renderRecord(r) : '# Squeeze: no request yet\n\nTrigger an inline completion or ask a question first.\n';
  }

  async show(): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(URI);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

export function renderRecord(r: RequestRecord): string {
  const rep = r.report;
  const counts = countByStatus(rep);
  const rows = rep.items.map(
    (i) => `| ${i.status} | \`${i.path}:${i.startLine}-${i.endLine}\` | ${i.score.toFixed(3)} | ${i.chars} | ${i.reason}${i.symbol ? ` (${i.symbol})` : ''} |`,
  );
  const fence = r.promptPreview.includes('```') ? '~~~~' : '```';
  return [
    `# Squeeze: last ${rep.surface === 'chat' ? 'question' : 'completion'} request`,
    '',
    `- When: ${new Date(rep.createdAt).toLocaleString()}`,
    `- Backend: ${r.backend || 'none'}`,
    `- Outcome: ${r.outcome ?? 'in progress'}${r.latencyMs !== undefined ? ` in ${r.latencyMs} ms` : ''}`,
    `- Context: ${rep.usedChars} of ${rep.budgetChars} characters; ${counts.included} included, ${counts.collapsed} collapsed, ${counts.dropped} dropped`,
    ...(rep.note ? [`- Note: ${rep.note}`] : []),
    '',
    '## Retrieval query',
    '',
    fence,
    rep.query,
    fence,
    '',
    '## Retrieved chunks',
    '',
    '| status | location | score | chars | why |',
    '|---|---|---|---|---|',
    ...(rows.length ? rows : ['| – | nothing retrieved | | | |']),
    '',
    `## Prompt (${r.promptChars} characters)`,
    '',
    fence,
    r.promptPreview,
    fence,
    '',
  ].join('\n');
}
