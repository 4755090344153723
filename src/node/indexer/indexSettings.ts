/** Where an index lives and what it is built with; shared by the indexer and search. */
import path from 'node:path';
import { DEFAULT_CHUNK_TOKENS } from '../../common/chunk/lineChunker.ts';
import { EXCLUDED_DIR_NAMES } from '../../common/scan/builtInExcludes.ts';
import { DEFAULT_HASHED_DIM, HashedEncoder } from '../../common/encode/hashedEncoder.ts';
import { INDEX_FOLDER, type IndexExpectation } from '../store/indexManifest.ts';

/** Target chunk size in estimated tokens: the chunker's default (`squeeze.index.chunkTokens`). */
export { DEFAULT_CHUNK_TOKENS };
export const DEFAULT_INDEX_DIR_NAME = '.squeeze';
/**
 * The chunker whose output an index stores. Bump the version when AstChunker (or its syntaxes/*.scm)
 * changes what it produces: every index is then re-chunked instead of mixing old and new chunks.
 */
export const INDEX_CHUNKER_ID = 'ast-v1';

/** `<indexDir>/index-v<N>`; `indexDir` defaults to `<root>/.squeeze`. */
export function storeDirFor(root: string, indexDir?: string): string {
  return path.join(path.resolve(indexDir ?? path.join(root, DEFAULT_INDEX_DIR_NAME)), INDEX_FOLDER);
}

export function builtInEncoder(): HashedEncoder {
  return new HashedEncoder({ dim: DEFAULT_HASHED_DIM });
}

/** What a store must have been built with: the encoder's id and dimension, this chunker, this chunk size. */
export function expectationFor(encoder: { readonly id: string; readonly dim: number }, chunkTokens: number): IndexExpectation {
  return { encoderId: encoder.id, dim: encoder.dim, chunker: INDEX_CHUNKER_ID, chunkTokens };
}

/** An ignore pattern for the index folder when it lies inside the repository and no built-in exclude covers it. */
export function indexDirExclude(root: string, indexDir: string | undefined): string[] {
  if (!indexDir) return [];
  const rel = path.relative(path.resolve(root), path.resolve(indexDir));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return [];
  const parts = rel.split(path.sep);
  if (parts.some((p) => EXCLUDED_DIR_NAMES.has(p))) return [];
  return [`/${parts.join('/')}/`];
}
