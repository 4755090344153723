/**
 * The chat view's script (bundled to dist/webview.js, loaded with the CSP nonce). It renders the state
 * kept by the host, sends questions and actions, and persists its state with getState/setState so the
 * view comes back instantly after being hidden.
 */
import type { HostMessage, WebviewMessage } from '../common/protocol/chatProtocol.ts';
import { reduce, restoreState, type ViewState } from './chatStore.ts';
import { renderTurn } from './turnView.ts';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state = restoreState(vscode.getState());
const turnsEl = document.getElementById('turns') as HTMLElement;
const input = document.getElementById('input') as HTMLTextAreaElement;
const form = document.getElementById('composer') as HTMLFormElement;
const stopBtn = document.getElementById('stop') as HTMLButtonElement;
const sendBtn = document.getElementById('send') as HTMLButtonElement;
const dirty = new Set<string>();
let frame = 0;
let forceScroll = false;

function renderAll(): void {
  turnsEl.replaceChildren();
  if (state.turns.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = 'Ask a question about this repository. Answers cite the code they use as path:line; click a citation to open it.';
    turnsEl.append(empty);
  }
  let counts: ReturnType<typeof renderTurn> | undefined;
  for (const t of state.turns) counts = renderTurn(turnsEl, t);
  const last = state.turns.at(-1);
  if (last && counts && last.status !== 'streaming') vscode.postMessage({ type: 'rendered', id: last.id, ...counts });
  renderControls();
}

function renderControls(): void {
  stopBtn.hidden = !state.busy;
  sendBtn.disabled = state.busy;
}

/** Re-renders changed turns at most once per frame (streaming sends many small deltas). */
function schedule(id: string): void {
  dirty.add(id);
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    // follow the stream only when the reader is at the bottom already
    const following = forceScroll || turnsEl.scrollHeight - turnsEl.scrollTop - turnsEl.clientHeight < 80;
    forceScroll = false;
    turnsEl.querySelector('.empty')?.remove();
    for (const turnId of dirty) {
      const turn = state.turns.find((t) => t.id === turnId);
      if (!turn) continue;
      const counts = renderTurn(turnsEl, turn);
      if (turn.status !== 'streaming') vscode.postMessage({ type: 'rendered', id: turn.id, ...counts });
    }
    dirty.clear();
    renderControls();
    if (following) turnsEl.lastElementChild?.scrollIntoView({ block: 'end' });
    vscode.setState(state);
  });
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  if (m.type === 'focusInput') return input.focus();
  if (m.type === 'turnStarted') forceScroll = true;
  const r = reduce(state, m);
  state = r.state;
  if (r.all) {
    renderAll();
    vscode.setState(state);
  } else if (r.changed) {
    schedule(r.changed);
  }
});

function send(): void {
  const text = input.value.trim();
  if (!text || state.busy) return;
  vscode.postMessage({ type: 'ask', text });
  input.value = '';
  state = { ...state, draft: '' };
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  send();
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    send();
  } else if (e.key === 'Escape' && state.busy) {
    vscode.postMessage({ type: 'stop' });
  }
});
input.addEventListener('input', () => vscode.setState((state = { ...state, draft: input.value })));
stopBtn.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
document.getElementById('new')?.addEventListener('click', () => vscode.postMessage({ type: 'newConversation' }));

turnsEl.addEventListener('click', (e) => {
  const target = e.target instanceof Element ? e.target.closest('button') : null;
  if (!target) return;
  if (target.classList.contains('cite')) {
    const line = Number(target.dataset.line);
    const end = target.dataset.end ? Number(target.dataset.end) : undefined;
    vscode.postMessage({ type: 'openCitation', citation: { path: target.dataset.path ?? '', line, ...(end ? { endLine: end } : {}) } });
    return;
  }
  const code = target.closest('.codeblock')?.querySelector('code')?.textContent ?? '';
  if (target.classList.contains('copy')) vscode.postMessage({ type: 'copyCode', code });
  else if (target.classList.contains('insert')) vscode.postMessage({ type: 'insertCode', code });
});

input.value = state.draft;
renderAll();
vscode.postMessage({ type: 'ready' });
