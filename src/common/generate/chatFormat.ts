import type { PromptPiece } from './fimStyles.ts';

/** A chat message as the surfaces send it (structurally the same as the HTTP backend's ChatMessage). */
export interface ChatTurn {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** ChatML markers (Qwen2.5, SmolLM2-Instruct and many others). */
export const CHATML = { start: '<|im_start|>', end: '<|im_end|>' } as const;

/**
 * The prompt for a chat with a local model: ChatML when the tokenizer has its markers, else a plain
 * "User:/Assistant:" transcript. Ends with an open assistant turn; `stop` ends the reply.
 */
export function chatPrompt(turns: readonly ChatTurn[], hasToken: (t: string) => boolean): { pieces: PromptPiece[]; stop: string[]; stopTokens: string[] } {
  if (hasToken(CHATML.start) && hasToken(CHATML.end)) {
    const pieces: PromptPiece[] = [];
    for (const t of turns) pieces.push({ special: CHATML.start }, { text: `${t.role}\n${t.content}` }, { special: CHATML.end }, { text: '\n' });
    pieces.push({ special: CHATML.start }, { text: 'assistant\n' });
    return { pieces, stop: [], stopTokens: [CHATML.end] };
  }
  const label = { system: 'System', user: 'User', assistant: 'Assistant' } as const;
  const text = turns.map((t) => `${label[t.role]}: ${t.content}\n`).join('') + 'Assistant:';
  return { pieces: [{ text }], stop: ['\nUser:', '\nSystem:'], stopTokens: [] };
}
