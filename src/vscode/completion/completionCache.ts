/** Completions cached by a hash of the text around the cursor (LRU), plus type-ahead reuse. Pure. */
import { murmur3 } from '../../common/encode/hash32.ts';

export { LruCache } from '../../common/lruCache.ts';

/** Characters of prefix and suffix that make a cache key. */
const KEY_PREFIX_CHARS = 2000;
const KEY_SUFFIX_CHARS = 500;

export function completionKey(prefix: string, suffix: string, model: string): string {
  const text = `${model}\u0000${prefix.slice(-KEY_PREFIX_CHARS)}\u0000${suffix.slice(0, KEY_SUFFIX_CHARS)}`;
  return `${murmur3(text, 0x9747b28c).toString(36)}.${murmur3(text, 0x1b873593).toString(36)}.${text.length}`;
}

interface Shown {
  readonly prefix: string;
  readonly suffix: string;
  readonly text: string;
}

/**
 * Remembers the last completion shown; when the user then types its first characters, the rest is
 * still valid and is served without asking the model again.
 */
export class TypeAhead {
  private last: Shown | undefined;

  remember(prefix: string, suffix: string, text: string): void {
    this.last = { prefix, suffix, text };
  }

  /** The remaining completion when `prefix` extends the remembered one by a prefix of its text. */
  match(prefix: string, suffix: string): string | undefined {
    const l = this.last;
    if (!l || suffix !== l.suffix || prefix.length <= l.prefix.length || !prefix.startsWith(l.prefix)) return undefined;
    const typed = prefix.slice(l.prefix.length);
    if (!l.text.startsWith(typed) || typed.length >= l.text.length) return undefined;
    return l.text.slice(typed.length);
  }

  clear(): void {
    this.last = undefined;
  }
}
