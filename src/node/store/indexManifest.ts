/**
 * The manifest of an on-disk index: what it was built with, which segment files hold its data, and one
 * entry per file of the repository. It is the only file replaced in place (atomically); everything it
 * names is immutable once written, so a manifest that reads and validates describes a whole index.
 */
import { isIdfTable, type IdfTable } from '../../common/encode/idfTable.ts';
import { SKIP_REASONS, type SkipReason } from '../../common/scan/scannedFile.ts';

/** Bump when the layout or the meaning of any stored field changes: older indexes are then rebuilt. */
export const INDEX_FORMAT_VERSION = 1;
/** The store's folder inside the index folder: the name carries the version, so versions never share files. */
export const INDEX_FOLDER = `index-v${INDEX_FORMAT_VERSION}`;
export const MANIFEST_FILE = 'manifest.json';

/** One generation's data: chunks as JSON lines and one Float32 (little-endian) row per chunk. */
export interface SegmentInfo {
  readonly gen: number;
  readonly rows: number;
  readonly chunksBytes: number;
  readonly chunksSha256: string;
  readonly vectorsBytes: number;
  readonly vectorsSha256: string;
  /** mtimes right after writing: a file whose size and mtime still match is trusted on open without hashing. */
  readonly chunksMtimeMs: number;
  readonly vectorsMtimeMs: number;
}

/** Where a file's chunks live: rows [row, row + count) of segment `seg`. */
export interface ChunkRange {
  readonly seg: number;
  readonly row: number;
  readonly count: number;
}

export interface FileEntry extends ChunkRange {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
  /** Set when the indexer could not use the file (e.g. NOT_TEXT); such a file has no chunks. */
  readonly skip?: SkipReason;
}

export interface IndexManifest {
  readonly formatVersion: number;
  readonly encoderId: string;
  readonly dim: number;
  readonly chunker: string;
  readonly chunkTokens: number;
  /** Increases with every commit; segment files are named after the generation that wrote them. */
  readonly generation: number;
  /** False while an indexing run is still adding files (a checkpoint); the next run continues it. */
  readonly complete: boolean;
  readonly updatedAt: string;
  /** Document frequencies of the stored rows (hashed encoder); null for encoders without IDF. */
  readonly idf: IdfTable | null;
  readonly segments: readonly SegmentInfo[];
  /** Sorted by path. Chunks of the index are the files' ranges in this order. */
  readonly files: readonly FileEntry[];
}

/** What an index must have been built with to be reused. */
export interface IndexExpectation {
  readonly encoderId: string;
  readonly dim: number;
  /** Names the chunker and its output version: stored chunks of another one are not reused. */
  readonly chunker: string;
  readonly chunkTokens: number;
}

export function chunksFileName(gen: number): string {
  return `chunks-${gen}.jsonl`;
}

export function vectorsFileName(gen: number): string {
  return `vectors-${gen}.f32`;
}

export type ManifestCheck = { readonly ok: true; readonly manifest: IndexManifest } | { readonly ok: false; readonly reason: string };

/** Validates a parsed manifest against the expectation; the reason says why it cannot be used. */
export function checkManifest(value: unknown, expect: IndexExpectation): ManifestCheck {
  if (typeof value !== 'object' || value === null) return { ok: false, reason: 'manifest is not an object' };
  const m = value as Partial<IndexManifest>;
  if (m.formatVersion !== INDEX_FORMAT_VERSION) {
    return { ok: false, reason: `index format ${String(m.formatVersion)} differs from ${INDEX_FORMAT_VERSION}` };
  }
  if (m.encoderId !== expect.encoderId || m.dim !== expect.dim) {
    return { ok: false, reason: `index was built with encoder ${String(m.encoderId)}, not ${expect.encoderId}` };
  }
  if (m.chunker !== expect.chunker) {
    return { ok: false, reason: `index was chunked by ${String(m.chunker)}, not ${expect.chunker}` };
  }
  if (m.chunkTokens !== expect.chunkTokens) {
    return { ok: false, reason: `index was chunked at ${String(m.chunkTokens)} tokens, not ${expect.chunkTokens}` };
  }
  if (!Number.isInteger(m.generation) || typeof m.complete !== 'boolean') return { ok: false, reason: 'manifest header is malformed' };
  if (m.idf !== null && !isIdfTable(m.idf, expect.dim)) return { ok: false, reason: 'manifest IDF table is malformed' };
  if (!Array.isArray(m.segments) || !m.segments.every(isSegmentInfo)) return { ok: false, reason: 'manifest segment list is malformed' };
  if (!Array.isArray(m.files)) return { ok: false, reason: 'manifest file list is malformed' };
  const problem = checkFiles(m.files, m.segments);
  return problem ? { ok: false, reason: problem } : { ok: true, manifest: m as IndexManifest };
}

function isSegmentInfo(s: unknown): s is SegmentInfo {
  if (typeof s !== 'object' || s === null) return false;
  const x = s as Record<string, unknown>;
  return ['gen', 'rows', 'chunksBytes', 'vectorsBytes'].every((k) => Number.isInteger(x[k]) && (x[k] as number) >= 0) &&
    typeof x.chunksSha256 === 'string' && typeof x.vectorsSha256 === 'string' &&
    typeof x.chunksMtimeMs === 'number' && typeof x.vectorsMtimeMs === 'number';
}

/** Every entry is well formed, paths are sorted and unique, and every range lies inside its segment. */
function checkFiles(files: readonly unknown[], segments: readonly SegmentInfo[]): string | undefined {
  const rows = new Map(segments.map((s) => [s.gen, s.rows]));
  let last = '';
  for (const f of files) {
    if (typeof f !== 'object' || f === null) return 'manifest file entry is malformed';
    const e = f as Partial<FileEntry>;
    if (typeof e.path !== 'string' || typeof e.hash !== 'string' || typeof e.size !== 'number' || typeof e.mtimeMs !== 'number') {
      return 'manifest file entry is malformed';
    }
    if (e.path <= last && last !== '') return `manifest file list is not sorted at ${e.path}`;
    last = e.path;
    if (e.skip !== undefined && !(e.skip in SKIP_REASONS)) return `unknown skip reason for ${e.path}`;
    const count = e.count ?? -1;
    if (!Number.isInteger(e.seg) || !Number.isInteger(e.row) || !Number.isInteger(count) || count < 0) return `bad chunk range for ${e.path}`;
    const segRows = rows.get(e.seg ?? -1);
    if (count > 0 && (segRows === undefined || (e.row ?? 0) < 0 || (e.row ?? 0) + count > segRows)) return `chunk range of ${e.path} lies outside its segment`;
  }
  return undefined;
}
