/**
 * Drops low-value lines inside a kept chunk, always as whole lines (never mid-line, so never mid-token):
 * runs of blank lines fold to one, leading and trailing blank lines go, and, when a per-line mass is
 * known (attention mass per line), non-blank lines below `minMass` go too.
 */
export interface ThinnedText {
  readonly text: string;
  readonly droppedLines: number;
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

export function thinLines(text: string, lineMass?: readonly number[], minMass = 0): ThinnedText {
  const trailingNewline = text.endsWith('\n');
  const lines = (trailingNewline ? text.slice(0, -1) : text).split('\n');
  const kept: string[] = [];
  lines.forEach((line, i) => {
    if (isBlank(line)) {
      const last = kept[kept.length - 1];
      if (last !== undefined && !isBlank(last)) kept.push('');
      return;
    }
    const mass = lineMass?.[i];
    if (mass !== undefined && mass < minMass) return;
    kept.push(line);
  });
  while (kept.length > 0 && isBlank(kept[kept.length - 1] ?? 'x')) kept.pop();
  const body = kept.join('\n');
  return { text: body && trailingNewline ? `${body}\n` : body, droppedLines: lines.length - kept.length };
}
