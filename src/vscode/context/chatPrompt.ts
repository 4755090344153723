/** The messages of an "Ask about this repository" request. Pure. */
import type { ChatMessage } from '../../common/backend/backendTypes.ts';

export interface PastTurn {
  readonly question: string;
  readonly answer: string;
}

export const CHAT_SYSTEM_PROMPT = [
  'You are Squeeze, an assistant that answers questions about the user\'s code repository.',
  'Answer from the repository excerpts given with the question. Each excerpt starts with a header `File path:start-end`.',
  'Cite the code you rely on as `path:line` (for example `src/app.ts:12`), using the paths and line numbers of those headers.',
  'If the excerpts do not contain the answer, say so briefly instead of guessing. Use Markdown; put code in fenced blocks.',
].join(' ');

const MAX_HISTORY_TURNS = 4;
const MAX_HISTORY_ANSWER_CHARS = 2000;

export function buildChatMessages(history: readonly PastTurn[], contextText: string, question: string): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: CHAT_SYSTEM_PROMPT }];
  for (const t of history.slice(-MAX_HISTORY_TURNS)) {
    messages.push({ role: 'user', content: t.question });
    messages.push({ role: 'assistant', content: t.answer.length > MAX_HISTORY_ANSWER_CHARS ? `${t.answer.slice(0, MAX_HISTORY_ANSWER_CHARS)}…` : t.answer });
  }
  const context = contextText.trim() ? `Repository excerpts:\n\n${contextText}\n` : 'No repository excerpts were found for this question.\n';
  messages.push({ role: 'user', content: `${context}\nQuestion: ${question}` });
  return messages;
}
