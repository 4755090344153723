/**
 * Removes the leading whitespace every non-blank line of a piece shares, keeping relative indentation:
 * a method body cut out of a class reads the same at column 0 and costs 8–13% fewer characters in
 * Python and Java (measured on the eval's packed contexts, docs/eval.md). The common prefix is compared
 * as text, so tabs and spaces are never mixed up; a blank line keeps whatever is left of it.
 */
const LEADING = /^[ \t]*/;

export function dedentLines(lines: readonly string[]): string[] {
  let common: string | undefined;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const lead = LEADING.exec(line)?.[0] ?? '';
    common = common === undefined ? lead : sharedPrefix(common, lead);
    if (common === '') return [...lines];
  }
  const n = common?.length ?? 0;
  return n === 0 ? [...lines] : lines.map((line) => (line.trim() === '' ? line.trimStart() : line.slice(n)));
}

function sharedPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}
