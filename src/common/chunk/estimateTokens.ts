/**
 * A model-free token estimate used to size chunks: about 3.5 UTF-16 code units per token, which is
 * close to what BPE tokenizers of code models produce on source code. Prompt assembly counts with the
 * model's real tokenizer; chunking only needs a stable, cheap estimate.
 */
export const CHARS_PER_TOKEN = 3.5;

/** Estimated tokens of `text` (or of a text of that many UTF-16 code units): ceil(chars / 3.5). */
export function estimateTokens(text: string | number): number {
  const chars = typeof text === 'number' ? text : text.length;
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** The largest number of UTF-16 code units whose estimate still fits in `tokens`. */
export function maxCharsForTokens(tokens: number): number {
  return Math.floor(tokens * CHARS_PER_TOKEN);
}
