/**
 * Identifier-aware tokens for the hashed encoder: words of the text, split at camelCase, PascalCase,
 * snake_case and letter/digit boundaries, lowercased and lightly stemmed, plus the whole identifier when
 * it has several parts. Common keywords and English function words are dropped (CODE_STOPWORDS).
 * Code and natural-language queries go through the same function, so `order total` meets `orderTotal`.
 */
import { CODE_STOPWORDS } from './codeStopwords.ts';

export interface CodeTokenOptions {
  readonly stopwords?: ReadonlySet<string>;
  /** Longer words (base64, hashes, minified names) carry no meaning worth a bucket. Default 48. */
  readonly maxTokenLength?: number;
}

const WORD = /[\p{L}\p{N}_$]+/gu;
const PART = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+|\p{L}+/gu;
const EDGE_SEPARATORS = /^[_$]+|[_$]+$/g;

/** `parseHTTPResponse2` → ['parse', 'HTTP', 'Response', '2']; case is kept, separators dropped. */
export function splitIdentifier(word: string): string[] {
  return word.match(PART) ?? [];
}

/**
 * A deliberately small suffix stripper (not Porter): enough for `orders`/`order`, `computed`/`compute`,
 * `caching`/`cache` to meet, applied the same way to code and queries.
 */
export function stemToken(t: string): string {
  let s = t;
  if (s.length > 4 && s.endsWith('ies')) s = s.slice(0, -3) + 'y';
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.length > 3 && s.endsWith('s') && !/(ss|us|is)$/.test(s)) s = s.slice(0, -1);
  const verb = s.length > 5 && s.endsWith('ing') ? 3 : s.length > 4 && s.endsWith('ed') ? 2 : 0;
  if (verb > 0) {
    s = s.slice(0, -verb);
    if (/([^aeioulsz])\1$/.test(s)) s = s.slice(0, -1);
  }
  if (s.length > 4 && s.endsWith('e')) s = s.slice(0, -1);
  return s;
}

/** Every token of `text`, in order, with repeats (the encoder counts them). */
export function codeTokens(text: string, options: CodeTokenOptions = {}): string[] {
  const stop = options.stopwords ?? CODE_STOPWORDS;
  const maxLen = options.maxTokenLength ?? 48;
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = m[0].replace(EDGE_SEPARATORS, '');
    if (word.length === 0 || word.length > maxLen) continue;
    const parts = splitIdentifier(word);
    for (const p of parts) {
      const lower = p.toLowerCase();
      if (lower.length < 2 || stop.has(lower)) continue;
      out.push(stemToken(lower));
    }
    if (parts.length > 1) {
      const whole = word.toLowerCase();
      if (!stop.has(whole)) out.push(whole);
    }
  }
  return out;
}

/** Token → count, the input of sublinear TF. */
export function countTokens(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
