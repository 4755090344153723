/**
 * The names a piece of code mentions: identifiers (Unicode letters, `_`, `$`), keywords of the supported
 * languages left out, in order of first use. Used to tell which lines of a retrieved chunk would show the
 * model a name it has not seen yet.
 */
const NAME = /[\p{L}_$][\p{L}\p{N}_$]*/gu;

const KEYWORDS: ReadonlySet<string> = new Set(
  ('abstract and as assert async await boolean break byte case catch char class const continue def default del do '
    + 'double elif else enum except export extends false final finally float fn for from func function global go if '
    + 'impl implements import in instanceof int interface is lambda let long mut new nil none nonlocal not null of or '
    + 'package pass private protected pub public raise return self short static struct super switch synchronized this '
    + 'throw throws true try type typeof var void volatile while with yield None True False undefined').split(' '),
);

/** Distinct names of `text`, keywords excluded, in order of first use. */
export function codeNames(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(NAME)) if (!KEYWORDS.has(m[0])) seen.add(m[0]);
  return [...seen];
}
