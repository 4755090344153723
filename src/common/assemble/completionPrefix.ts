/** The FIM prefix of a code completion: retrieved context as commented pieces, the file's path, then the text before the cursor. Pure. */
import { lineCommentFor } from './commentSyntax.ts';

export function completionPrefix(contextText: string, path: string, language: string, windowPrefix: string): string {
  const c = lineCommentFor(language);
  const context = contextText ? `${c} Related code from the repository:\n${contextText}\n` : '';
  return `${context}${c} File: ${path}\n${windowPrefix}`;
}
