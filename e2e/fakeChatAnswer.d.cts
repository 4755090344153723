// Types of fakeChatAnswer.cjs, for the TypeScript tests that import it.
export function chatAnswer(messages: readonly { readonly role: string; readonly content: string }[]): string;
export const MISSING_CITATION: string;
