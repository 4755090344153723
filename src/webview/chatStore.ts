/** The chat view's state and how host messages change it. Pure: no DOM. */
import type { ChatTurn, HostMessage } from '../common/protocol/chatProtocol.ts';

export interface ViewState {
  readonly turns: readonly ChatTurn[];
  readonly busy: boolean;
  readonly draft: string;
}

export const EMPTY_STATE: ViewState = { turns: [], busy: false, draft: '' };

/** Applies one message; returns the new state and the id of the turn that changed (if one did). */
export function reduce(state: ViewState, m: HostMessage): { state: ViewState; changed?: string; all?: true } {
  switch (m.type) {
    case 'sync':
      return { state: { ...state, turns: m.turns, busy: m.busy }, all: true };
    case 'turnStarted':
      return { state: { ...state, busy: true, turns: [...state.turns.filter((t) => t.id !== m.turn.id), m.turn] }, changed: m.turn.id };
    case 'turnContext':
      return { state: patch(state, m.id, (t) => ({ ...t, context: m.context })), changed: m.id };
    case 'turnDelta':
      return { state: patch(state, m.id, (t) => ({ ...t, answer: t.answer + m.text })), changed: m.id };
    case 'turnEnded': {
      const next = patch(state, m.id, (t) => ({ ...t, status: m.status, citations: m.citations, ...(m.error ? { error: m.error } : {}) }));
      // a question asked while another streamed stops the older one: busy while any turn streams
      return { state: { ...next, busy: next.turns.some((t) => t.status === 'streaming') }, changed: m.id };
    }
    case 'focusInput':
      return { state };
  }
}

function patch(state: ViewState, id: string, f: (t: ChatTurn) => ChatTurn): ViewState {
  return { ...state, turns: state.turns.map((t) => (t.id === id ? f(t) : t)) };
}

/** Parses what `getState()` returned by an earlier instance of the view; anything odd gives the empty state. */
export function restoreState(saved: unknown): ViewState {
  if (typeof saved !== 'object' || saved === null) return EMPTY_STATE;
  const s = saved as Partial<ViewState>;
  const turns = Array.isArray(s.turns) ? s.turns.filter((t): t is ChatTurn => typeof t === 'object' && t !== null && typeof (t as ChatTurn).id === 'string') : [];
  // A turn that was streaming when the view went away is finished by the host's `sync`.
  return { turns, busy: false, draft: typeof s.draft === 'string' ? s.draft : '' };
}
