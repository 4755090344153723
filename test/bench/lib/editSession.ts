/**
 * A seeded editing session in one file, as the sequence of inline completion requests it triggers. The user
 * goes to a line inside a body, opens a new line and types a statement like the ones around it (a nearby line
 * with its numbers changed), a word or a few symbols between pauses (a request at each pause, as the debounce
 * would fire), presses Enter after each statement; after one to four statements the cursor jumps to another
 * place in the file (40%) or keeps typing there. The typed text stays in the document.
 */
import { createRng, type Rng } from '../../../src/common/random.ts';

export interface EditRequest {
  /** The document text at the request. */
  readonly text: string;
  /** Cursor offset, 0-based line and character. */
  readonly offset: number;
  readonly line: number;
  readonly character: number;
  readonly kind: 'typing' | 'newline' | 'jump';
}

function position(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

/** Offsets of the ends of indented, non-blank lines (places inside a body). */
function bodyLineEnds(text: string): number[] {
  const ends: number[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0; start = i + 1, i = text.indexOf('\n', start)) {
    const line = text.slice(start, i);
    if (/^\s+\S/.test(line) && !/^\s*(\/\/|#)/.test(line)) ends.push(i);
  }
  return ends;
}

/** A statement like a nearby one: its numbers changed, its leading indentation dropped. */
function statementNear(text: string, offset: number, rng: Rng): string {
  const around = text.slice(Math.max(0, offset - 1500), offset + 1500).split('\n').filter((l) => /^\s+\S/.test(l) && !/^\s*(\/\/|#)/.test(l));
  const line = around[Math.floor(rng() * around.length)] ?? 'value = 1';
  return line.trim().replace(/\d+/g, () => String(Math.floor(rng() * 100)));
}

/** The statement split where a typist pauses: after each word or run of symbols, sometimes two at once. */
function typingPauses(stmt: string, rng: Rng): string[] {
  const parts = stmt.match(/\w+\s*|[^\w]+/g) ?? [stmt];
  const out: string[] = [];
  for (let i = 0; i < parts.length; ) {
    const n = rng() < 0.3 && i + 1 < parts.length ? 2 : 1;
    out.push(parts.slice(i, i + n).join(''));
    i += n;
  }
  return out;
}

/** Leading whitespace of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** `count` requests of one editing session over `initial` (deterministic for a seed). */
export function editSession(initial: string, count: number, seed: number): EditRequest[] {
  const rng = createRng(seed);
  const out: EditRequest[] = [];
  let text = initial;
  const push = (offset: number, kind: EditRequest['kind']): void => {
    if (out.length < count) out.push({ text, offset, kind, ...position(text, offset) });
  };
  const jump = (): number => {
    const ends = bodyLineEnds(text);
    const offset = ends.length > 0 ? ends[Math.floor(rng() * ends.length)]! : text.length;
    push(offset, 'jump');
    return offset;
  };
  let offset = jump();
  while (out.length < count) {
    const statements = 1 + Math.floor(rng() * 4);
    for (let s = 0; s < statements && out.length < count; s++) {
      const indent = lineIndent(text, offset);
      const stmt = statementNear(text, offset, rng);
      text = `${text.slice(0, offset)}\n${indent}${text.slice(offset)}`;
      offset += 1 + indent.length;
      push(offset, 'newline');
      for (const piece of typingPauses(stmt, rng)) {
        text = text.slice(0, offset) + piece + text.slice(offset);
        offset += piece.length;
        push(offset, 'typing');
      }
    }
    if (rng() < 0.4) offset = jump();
  }
  return out;
}
