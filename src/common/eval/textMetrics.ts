/**
 * Model-free metrics of a completion context: identifier recall, gold-line hit, and the edit similarity
 * and exact match used on generated lines. Edit similarity is `1 - Lev(a, b) / (|a| + |b|)` with
 * insertions and deletions costing 1 and substitutions 2 (so it equals the LCS ratio; 1 for equal strings).
 */

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** Words that are syntax in the eval's languages, never something a context has to supply. */
const KEYWORDS: ReadonlySet<string> = new Set(
  ('abstract and as assert async await boolean break byte case catch char class const continue def default del do double elif '
    + 'else enum except export extends false final finally float for from function global if implements import in instanceof '
    + 'int interface is lambda let long new none nonlocal not null of or package pass private protected public raise return '
    + 'self short static super switch synchronized this throw throws true try typeof var void volatile while with yield '
    + 'None True False undefined').split(' '),
);

/** Distinct identifiers of `text` in order of first use, keywords left out. */
export function identifiersOf(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(IDENTIFIER)) {
    const id = m[0];
    if (!KEYWORDS.has(id) && !/^\d/.test(id)) seen.add(id);
  }
  return [...seen];
}

/** The identifiers a context has to supply: those of the ground truth that the prefix does not contain. */
export function missingIdentifiers(groundtruth: string, prefix: string): string[] {
  const known = new Set(identifiersOf(prefix));
  return identifiersOf(groundtruth).filter((id) => !known.has(id));
}

/** Share of `needed` that occur (as whole identifiers) in `context`; undefined when nothing is needed. */
export function identifierRecall(needed: readonly string[], context: string): number | undefined {
  if (needed.length === 0) return undefined;
  const present = new Set(identifiersOf(context));
  return needed.filter((id) => present.has(id)).length / needed.length;
}

/** Levenshtein distance with substitution cost 2 (insert/delete 1). O(|a|·|b|) time, O(|b|) memory. */
export function levenshtein2(a: string, b: string): number {
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 2);
      cur[j] = Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

export function editSimilarity(a: string, b: string): number {
  const total = a.length + b.length;
  return total === 0 ? 1 : 1 - levenshtein2(a, b) / total;
}

export function exactMatch(a: string, b: string): boolean {
  return a.trim() === b.trim();
}

/** Best edit similarity between the (trimmed) ground-truth line and any trimmed context line. */
export function bestLineSimilarity(groundtruth: string, context: string): number {
  const gold = groundtruth.trim();
  let best = 0;
  for (const line of context.split('\n')) {
    const t = line.trim();
    if (t.length === 0) continue;
    // Lev ≥ |len difference|: skip lines that cannot beat the current best.
    if (1 - Math.abs(t.length - gold.length) / (t.length + gold.length) <= best) continue;
    best = Math.max(best, editSimilarity(gold, t));
    if (best === 1) break;
  }
  return best;
}

export const GOLD_LINE_THRESHOLD = 0.9;

/** The ground-truth line (or a near copy, similarity ≥ 0.9) is in the context. */
export function goldLineHit(groundtruth: string, context: string): boolean {
  return bestLineSimilarity(groundtruth, context) >= GOLD_LINE_THRESHOLD;
}
