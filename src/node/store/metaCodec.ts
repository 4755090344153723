/**
 * The `meta` table (one row per key) and rows of the `files` table, to and from column values. Decoders
 * take what the database returned and give a valid value or throw IndexCorruptError (see storeCodec.ts).
 */
import { SKIP_REASONS, type SkipReason } from '../../common/scan/scannedFile.ts';
import { IndexCorruptError } from './indexCorruptError.ts';
import type { FileEntry, IndexMeta } from './indexManifest.ts';
import { decodeIdf, encodeIdf } from './storeCodec.ts';

export type ColumnValue = number | bigint | string | Uint8Array | null;

export const META_KEYS = {
  formatVersion: 'format_version', encoderId: 'encoder_id', dim: 'dim', chunker: 'chunker', chunkTokens: 'chunk_tokens',
  generation: 'generation', complete: 'complete', updatedAt: 'updated_at', idf: 'idf',
} as const;

export function encodeMeta(meta: IndexMeta): [string, ColumnValue][] {
  return [
    [META_KEYS.formatVersion, meta.formatVersion], [META_KEYS.encoderId, meta.encoderId], [META_KEYS.dim, meta.dim],
    [META_KEYS.chunker, meta.chunker], [META_KEYS.chunkTokens, meta.chunkTokens], [META_KEYS.generation, meta.generation],
    [META_KEYS.complete, meta.complete ? 1 : 0], [META_KEYS.updatedAt, meta.updatedAt], [META_KEYS.idf, meta.idf ? encodeIdf(meta.idf) : null],
  ];
}

/** `SELECT key, value FROM meta` rows as a map; duplicate or malformed rows are damage. */
export function metaMap(rows: unknown): Map<string, unknown> {
  if (!Array.isArray(rows)) throw new IndexCorruptError('the meta table cannot be read');
  const map = new Map<string, unknown>();
  for (const row of rows) {
    const key = (row as { key?: unknown } | null)?.key;
    if (typeof key !== 'string' || map.has(key)) throw new IndexCorruptError('the meta table has a malformed row');
    map.set(key, (row as { value?: unknown }).value);
  }
  return map;
}

function int(map: Map<string, unknown>, key: string, min = 0): number {
  const v = map.get(key);
  if (!Number.isSafeInteger(v) || (v as number) < min) throw new IndexCorruptError(`meta ${key} is not an integer ≥ ${min}`);
  return v as number;
}

function text(map: Map<string, unknown>, key: string): string {
  const v = map.get(key);
  if (typeof v !== 'string') throw new IndexCorruptError(`meta ${key} is not text`);
  return v;
}

export function decodeFormatVersion(map: Map<string, unknown>): number {
  return int(map, META_KEYS.formatVersion);
}

export function decodeMeta(map: Map<string, unknown>): IndexMeta {
  const dim = int(map, META_KEYS.dim, 1);
  const complete = int(map, META_KEYS.complete);
  if (complete > 1) throw new IndexCorruptError(`meta ${META_KEYS.complete} is not 0 or 1`);
  const idf = map.get(META_KEYS.idf);
  return {
    formatVersion: decodeFormatVersion(map), encoderId: text(map, META_KEYS.encoderId), dim,
    chunker: text(map, META_KEYS.chunker), chunkTokens: int(map, META_KEYS.chunkTokens, 1),
    generation: int(map, META_KEYS.generation), complete: complete === 1, updatedAt: text(map, META_KEYS.updatedAt),
    idf: idf === null || idf === undefined ? null : decodeIdf(idf, dim),
  };
}

export interface FileRow {
  readonly path: string;
  readonly size: number;
  readonly mtime_ms: number;
  readonly hash: string;
  readonly skip: string | null;
  readonly chunk_count: number;
}

export function encodeFileRow(e: FileEntry): FileRow {
  return { path: e.path, size: e.size, mtime_ms: e.mtimeMs, hash: e.hash, skip: e.skip ?? null, chunk_count: e.count };
}

export function decodeFileRow(row: unknown): FileEntry {
  if (typeof row !== 'object' || row === null) throw new IndexCorruptError('a files row cannot be read');
  const r = row as Partial<Record<keyof FileRow, unknown>>;
  const { path, size, mtime_ms: mtimeMs, hash, skip, chunk_count: count } = r;
  if (typeof path !== 'string' || path === '') throw new IndexCorruptError('a files row has no path');
  const ok = Number.isSafeInteger(size) && (size as number) >= 0 && typeof mtimeMs === 'number' && Number.isFinite(mtimeMs) &&
    typeof hash === 'string' && Number.isSafeInteger(count) && (count as number) >= 0;
  if (!ok) throw new IndexCorruptError(`the files row of ${path} is malformed`);
  if (skip !== null && skip !== undefined && !(typeof skip === 'string' && Object.hasOwn(SKIP_REASONS, skip))) {
    throw new IndexCorruptError(`the files row of ${path} has an unknown skip reason`);
  }
  if (typeof skip === 'string' && count !== 0) throw new IndexCorruptError(`the skipped file ${path} has chunks`);
  const entry = { path, size: size as number, mtimeMs, hash, count: count as number };
  return typeof skip === 'string' ? { ...entry, skip: skip as SkipReason } : entry;
}

/** The files table as `FILES_AS_JSON` returns it: a JSON array of [path, size, mtime_ms, hash, skip, chunk_count]. */
export function decodeFileTable(json: unknown): FileEntry[] {
  let rows: unknown;
  try {
    rows = JSON.parse(typeof json === 'string' ? json : '');
  } catch {
    throw new IndexCorruptError('the files table cannot be read');
  }
  if (!Array.isArray(rows)) throw new IndexCorruptError('the files table cannot be read');
  return rows.map((r: unknown) => {
    if (!Array.isArray(r) || r.length !== 6) throw new IndexCorruptError('a files row is malformed');
    const [path, size, mtime_ms, hash, skip, chunk_count] = r as unknown[];
    return decodeFileRow({ path, size, mtime_ms, hash, skip, chunk_count });
  });
}
