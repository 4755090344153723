import type { Chunk } from '../chunk/chunk.ts';
import { formatSymbolPath } from '../chunk/chunk.ts';

/**
 * The text an encoder sees for a chunk: its path and symbol path, then its code. The path lets a
 * question that names a module (`inventory`, `payments`) reach it even when its code never repeats the name.
 */
export function chunkEncodingText(chunk: Pick<Chunk, 'path' | 'symbolPath' | 'text'>): string {
  const symbols = formatSymbolPath(chunk);
  return symbols ? `${chunk.path}\n${symbols}\n${chunk.text}` : `${chunk.path}\n${chunk.text}`;
}
