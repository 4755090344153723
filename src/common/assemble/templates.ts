/** Default instructions per mode and the per-chunk formats (comment header for code, fenced for chat). */
import type { PieceFormatter } from '../compress/compressTypes.ts';
import type { PromptMode } from './assembleTypes.ts';
import { lineCommentFor, pieceHeader } from './commentSyntax.ts';

const CITE = 'When you use a piece of the code shown, cite it as path:line (for example src/app.ts:42). '
  + 'If the excerpts do not contain the answer, say so instead of guessing.';

export const DEFAULT_INSTRUCTIONS: Readonly<Record<PromptMode, string>> = {
  completion: '',
  chat: `You are a coding assistant for this repository. Excerpts of its code follow, each headed by its path and lines. ${CITE}`,
  question: `Answer the question below about this repository from the excerpts of its code that follow, each headed by its path and lines. ${CITE}`,
};

function withNewline(body: string): string {
  return body.endsWith('\n') ? body : `${body}\n`;
}

/** Code prompts: `// path:start-end (symbol)` then the body. */
export const commentPiece: PieceFormatter = (s, body) => `${pieceHeader(s.language, s.path, s, s.symbolPath)}\n${withNewline(body)}`;

/** Chat prompts: `File path:start-end (symbol)` then a fenced block. */
export const markdownPiece: PieceFormatter = (s, body) => {
  const text = withNewline(body);
  const fence = text.includes('```') ? '~~~~' : '```';
  const symbol = s.symbolPath.length > 0 ? ` (${s.symbolPath.join(' > ')})` : '';
  return `File ${s.path}:${s.startLine}-${s.endLine}${symbol}\n${fence}${s.language}\n${text}${fence}\n`;
};

/** The line that names the current file just above the cursor window in a code prompt. */
export function currentFileHeader(language: string, path: string): string {
  return `${lineCommentFor(language)} File: ${path}\n`;
}

export function questionText(mode: PromptMode, question: string): string {
  return mode === 'question' ? `Question: ${question.trim()}\nAnswer (cite path:line):` : question.trim();
}
