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
