/** Line-comment syntax per language id, for chunk headers in code prompts. */
const HASH = new Set(['python', 'ruby', 'shellscript', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell', 'elixir', 'julia', 'coffeescript', 'bash', 'sh']);
const DASH = new Set(['sql', 'lua', 'haskell', 'ada']);
const PERCENT = new Set(['latex', 'tex', 'erlang', 'matlab']);
const SEMICOLON = new Set(['clojure', 'lisp', 'scheme', 'ini']);

export function lineCommentFor(language: string): string {
  if (HASH.has(language)) return '#';
  if (DASH.has(language)) return '--';
  if (PERCENT.has(language)) return '%';
  if (SEMICOLON.has(language)) return ';';
  return '//';
}

/** `// path:start-end (class A > method b)` in the language's comment syntax. */
export function pieceHeader(language: string, path: string, lines: { startLine: number; endLine: number }, symbolPath: readonly string[] = []): string {
  const symbol = symbolPath.length > 0 ? ` (${symbolPath.join(' > ')})` : '';
  return `${lineCommentFor(language)} ${path}:${lines.startLine}-${lines.endLine}${symbol}`;
}

/** Languages with `//` line comments and slash-star block comments (a line starting with `*` continues a doc comment). */
const C_LIKE = new Set([
  'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'java', 'go', 'rust', 'c', 'cpp', 'csharp',
  'php', 'kotlin', 'swift', 'scala', 'dart', 'zig', 'groovy', 'proto',
]);
const C_COMMENT_LINE = /^\s*(\/\/|\/\*|\*\/|\*(\s|$))/;

/**
 * The line holds only a comment: in C-like languages a `//` line or a line of a block comment, in languages
 * with another line comment (`#`, `--`, `%`, `;`) a line starting with it. Other languages (markdown, JSON,
 * plain text) have no comment lines.
 */
export function isCommentLine(line: string, language: string): boolean {
  if (C_LIKE.has(language)) return C_COMMENT_LINE.test(line);
  const marker = lineCommentFor(language);
  return marker !== '//' && line.trimStart().startsWith(marker);
}
