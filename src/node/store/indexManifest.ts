/**
 * What an on-disk index holds, as the store hands it out: what it was built with, its generation, and one
 * entry per file of the repository. The data itself lives in one SQLite database, `index.sqlite`, in a folder
 * named after the format version (see indexStore.ts).
 */
import type { IdfTable } from '../../common/encode/idfTable.ts';
import type { SkipReason } from '../../common/scan/scannedFile.ts';

/** Bump when the layout or the meaning of any stored field changes: older indexes are then rebuilt. */
export const INDEX_FORMAT_VERSION = 2;
/** The store's folder inside the index folder: the name carries the version, so versions never share files. */
export const INDEX_FOLDER = `index-v${INDEX_FORMAT_VERSION}`;
/** The database file inside the store folder; it exists once anything was committed. */
export const DATABASE_FILE = 'index.sqlite';

/** The stored chunks of one file: `count` rows, in order. */
export interface ChunkRange {
  readonly path: string;
  readonly count: number;
}

export interface FileEntry extends ChunkRange {
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
  /** Set when the indexer could not use the file (e.g. NOT_TEXT); such a file has no chunks. */
  readonly skip?: SkipReason;
}

/** What an index must have been built with to be reused. */
export interface IndexExpectation {
  readonly encoderId: string;
  readonly dim: number;
  /** Names the chunker and its output version: stored chunks of another one are not reused. */
  readonly chunker: string;
  readonly chunkTokens: number;
}

/** The header of an index: the `meta` table. */
export interface IndexMeta extends IndexExpectation {
  readonly formatVersion: number;
  /** Increases with every commit. */
  readonly generation: number;
  /** False while an indexing run is still adding files (a checkpoint); the next run continues it. */
  readonly complete: boolean;
  readonly updatedAt: string;
  /** Document frequencies of the stored rows (hashed encoder); null for encoders without IDF. */
  readonly idf: IdfTable | null;
}

export interface IndexManifest extends IndexMeta {
  /** In path order (UTF-8 byte order, as SQLite sorts). Chunks of the index are the files' chunks in this order. */
  readonly files: readonly FileEntry[];
}

/** How `metaMismatch` starts its reason when the index was built with another encoder (callers test for it). */
export const ENCODER_MISMATCH = 'index was built with encoder ';

/** Why a stored header cannot be used with `expect`, or undefined when it can. */
export function metaMismatch(meta: Pick<IndexMeta, 'formatVersion'> & Partial<IndexMeta>, expect: IndexExpectation): string | undefined {
  if (meta.formatVersion !== INDEX_FORMAT_VERSION) return `index format ${meta.formatVersion} differs from ${INDEX_FORMAT_VERSION}`;
  if (meta.encoderId !== expect.encoderId || meta.dim !== expect.dim) return `${ENCODER_MISMATCH}${String(meta.encoderId)}, not ${expect.encoderId}`;
  if (meta.chunker !== expect.chunker) return `index was chunked by ${String(meta.chunker)}, not ${expect.chunker}`;
  if (meta.chunkTokens !== expect.chunkTokens) return `index was chunked at ${String(meta.chunkTokens)} tokens, not ${expect.chunkTokens}`;
  return undefined;
}

/** Orders paths by code point, which is the UTF-8 byte order SQLite's BINARY collation uses. */
export function comparePaths(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (U+D800–DFFF, the halves of code points above U+FFFF) rank above U+E000–FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}
