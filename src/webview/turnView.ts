/** DOM for one conversation turn: question, streamed answer, sources, and the "Context" section. */
import type { ChatTurn } from '../common/protocol/chatProtocol.ts';
import { countByStatus, type ContextReport } from '../common/protocol/contextReport.ts';
import { chipHtml, renderMarkdown } from './markdown.ts';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface TurnCounts {
  readonly citations: number;
  readonly codeBlocks: number;
  readonly contextItems: number;
  /** Elements of the rendered answer that could run code (scripts, frames, `on*` handlers, `javascript:` links): always 0. */
  readonly unsafeNodes: number;
}

const ACTIVE_TAGS = new Set(['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'FRAME', 'BASE', 'META', 'FORM']);

/** Counts what a sanitiser must have removed; reported to the host so tests can prove none survived. */
function countUnsafeNodes(root: HTMLElement): number {
  let n = 0;
  for (const e of Array.from(root.querySelectorAll('*'))) {
    if (ACTIVE_TAGS.has(e.tagName.toUpperCase())) n++;
    for (const a of Array.from(e.attributes)) {
      const scriptUrl = /^\s*(javascript|vbscript):/i.test(a.value) && /^(href|src|action|formaction|xlink:href)$/i.test(a.name);
      if (a.name.toLowerCase().startsWith('on') || scriptUrl) n++;
    }
  }
  return n;
}

/** Creates or refreshes the `<article>` of a turn inside `container`; returns what it rendered. */
export function renderTurn(container: HTMLElement, turn: ChatTurn): TurnCounts {
  let article = container.querySelector<HTMLElement>(`article[data-id="${CSS.escape(turn.id)}"]`);
  if (!article) {
    article = el('article', 'turn');
    article.dataset.id = turn.id;
    const q = el('div', 'question');
    q.append(el('div', 'role', 'You'), el('p', 'question-text', turn.question));
    article.append(q, el('div', 'answer'));
    container.append(article);
  }
  const answer = article.querySelector<HTMLElement>('.answer');
  if (!answer) return { citations: 0, codeBlocks: 0, contextItems: 0, unsafeNodes: 0 };
  answer.replaceChildren(el('div', 'role', 'Squeeze'), answerBody(turn), ...statusLine(turn), ...sources(turn), ...contextSection(turn.context));
  article.classList.toggle('streaming', turn.status === 'streaming');
  article.setAttribute('aria-busy', String(turn.status === 'streaming'));
  return {
    citations: answer.querySelectorAll('.markdown button.cite').length,
    codeBlocks: answer.querySelectorAll('.codeblock').length,
    contextItems: turn.context?.items.length ?? 0,
    unsafeNodes: countUnsafeNodes(answer),
  };
}

function answerBody(turn: ChatTurn): HTMLElement {
  const body = el('div', 'markdown');
  body.innerHTML = renderMarkdown(turn.answer, turn.status === 'streaming' ? undefined : turn.citations);
  for (const pre of Array.from(body.querySelectorAll('pre'))) {
    const wrap = el('div', 'codeblock');
    const bar = el('div', 'codebar');
    const copy = el('button', 'copy secondary', 'Copy');
    const insert = el('button', 'insert secondary', 'Insert at cursor');
    copy.type = insert.type = 'button';
    copy.title = 'Copy the code';
    insert.title = 'Insert the code at the cursor of the active editor';
    bar.append(copy, insert);
    pre.replaceWith(wrap);
    wrap.append(bar, pre);
  }
  if (turn.status === 'streaming') body.append(el('span', 'cursor', '▍'));
  return body;
}

function statusLine(turn: ChatTurn): HTMLElement[] {
  if (turn.status === 'stopped') return [el('div', 'note', 'Stopped.')];
  if (turn.status === 'error') return [el('div', 'note error', turn.error ?? 'The answer failed.')];
  if (turn.status === 'streaming' && !turn.answer) return [el('div', 'note', turn.context ? 'Generating…' : 'Retrieving context…')];
  return [];
}

function sources(turn: ChatTurn): HTMLElement[] {
  if (turn.status === 'streaming' || turn.citations.length === 0) return [];
  const row = el('div', 'sources');
  row.append(el('span', 'label', 'Sources'));
  const chips = el('span', 'chips');
  chips.innerHTML = turn.citations.map((c) => chipHtml(c)).join(' ');
  row.append(chips);
  return [row];
}

function contextSection(report: ContextReport | undefined): HTMLElement[] {
  if (!report) return [];
  const counts = countByStatus(report);
  const details = el('details', 'context');
  const summary = el('summary', undefined, `Context: ${counts.included} included · ${counts.collapsed} collapsed · ${counts.dropped} dropped (${report.usedChars.toLocaleString()} of ${report.budgetChars.toLocaleString()} chars)`);
  details.append(summary);
  if (report.note) details.append(el('p', 'note', report.note));
  const table = el('table');
  const head = el('tr');
  for (const h of ['', 'Location', 'Score', 'Why']) head.append(el('th', undefined, h));
  table.append(head);
  for (const item of report.items) {
    const tr = el('tr', `item ${item.status}`);
    tr.append(el('td', `badge ${item.status}`, item.status), el('td', 'loc', `${item.path}:${item.startLine}-${item.endLine}`), el('td', 'score', item.score.toFixed(3)), el('td', 'why', item.reason + (item.symbol ? ` · ${item.symbol}` : '')));
    table.append(tr);
  }
  details.append(table);
  return [details];
}
