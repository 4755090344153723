/**
 * How the store turns its values into SQLite column values and back. Every decoder takes what a column
 * holds (`unknown`: a damaged database can hold anything) and returns a valid value or throws
 * IndexCorruptError, never another exception.
 *
 * - chunk row: `record` = the chunk as compact UTF-8 JSON without its path (the row's file gives it),
 *   `vector` = `dim` float32 little-endian values, `crc` = CRC-32 of record then vector bytes;
 * - checked blob (IDF table, named blobs): `tag` (4 ASCII bytes), payload length and CRC-32 (u32 LE), payload;
 * - IDF payload: dim, docCount, df[dim] as u32 LE.
 */
import type { Chunk, Definition, Span } from '../../common/chunk/chunk.ts';
import { isIdfTable, type IdfTable } from '../../common/encode/idfTable.ts';
import { crc32 } from './crc32.ts';
import { IndexCorruptError } from './indexCorruptError.ts';

export const IDF_TAG = 'SQID';
export const BLOB_TAG = 'SQBL';
const HEADER_BYTES = 12;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

export interface ChunkRow {
  readonly record: Uint8Array;
  readonly vector: Uint8Array;
  readonly crc: number;
}

export function encodeChunkRow(chunk: Chunk, vector: Float32Array): ChunkRow {
  const { path: _path, ...body } = chunk;
  const record = utf8Encoder.encode(JSON.stringify(body));
  const bytes = encodeVector(vector);
  return { record, vector: bytes, crc: crc32(bytes, crc32(record)) };
}

/** Checks a row's types, vector size and CRC; returns its bytes. */
export function checkChunkRow(path: string, record: unknown, vector: unknown, crc: unknown, dim: number): { record: Uint8Array; vector: Uint8Array } {
  if (!(record instanceof Uint8Array) || !(vector instanceof Uint8Array)) throw new IndexCorruptError(`a chunk of ${path} is not stored as bytes`);
  if (vector.byteLength !== dim * 4) throw new IndexCorruptError(`a vector of ${path} has ${vector.byteLength} bytes, not ${dim * 4}`);
  if (crc !== crc32(vector, crc32(record))) throw new IndexCorruptError(`a chunk of ${path} does not match its checksum`);
  return { record, vector };
}

/** Checks a row (see `checkChunkRow`) and decodes its chunk; the vector stays bytes (see `copyVector`). */
export function decodeChunkRow(path: string, record: unknown, vector: unknown, crc: unknown, dim: number): { chunk: Chunk; vector: Uint8Array } {
  const row = checkChunkRow(path, record, vector, crc, dim);
  return { chunk: decodeChunkRecord(path, row.record), vector: row.vector };
}

export function decodeChunkRecord(path: string, record: Uint8Array): Chunk {
  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(record));
  } catch {
    throw new IndexCorruptError(`a chunk record of ${path} is not valid JSON`);
  }
  if (!isChunkBody(body)) throw new IndexCorruptError(`a chunk record of ${path} is malformed`);
  return { ...body, path };
}

const isInt = (x: unknown): x is number => Number.isSafeInteger(x);
const isSpan = (x: unknown): x is Span => typeof x === 'object' && x !== null && isInt((x as Span).start) && isInt((x as Span).end);

function isDefinition(x: unknown): x is Definition {
  if (typeof x !== 'object' || x === null) return false;
  const d = x as Partial<Definition>;
  return typeof d.kind === 'string' && typeof d.name === 'string' && isSpan(d.signature) &&
    (d.body === undefined || isSpan(d.body)) && (d.depth === undefined || isInt(d.depth));
}

function isChunkBody(x: unknown): x is Omit<Chunk, 'path'> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const c = x as Partial<Chunk>;
  return typeof c.language === 'string' && isSpan(c.span) && isInt(c.startLine) && isInt(c.endLine) &&
    Array.isArray(c.symbolPath) && c.symbolPath.every((s) => typeof s === 'string') && typeof c.text === 'string' &&
    Array.isArray(c.definitions) && c.definitions.every(isDefinition) && (c.parser === 'tree-sitter' || c.parser === 'lines');
}

/** `rows` as float32 little-endian bytes (a copy). */
export function encodeVector(rows: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(rows.buffer.slice(rows.byteOffset, rows.byteOffset + rows.byteLength));
  const out = new Uint8Array(rows.length * 4);
  const view = new DataView(out.buffer);
  rows.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/** Copies float32 LE `bytes` into `target` at value offset `at`. */
export function copyVector(bytes: Uint8Array, target: Float32Array, at: number): void {
  if (LITTLE_ENDIAN) {
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    target.set(new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 2), at);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i * 4 < bytes.byteLength; i++) target[at + i] = view.getFloat32(i * 4, true);
}

export function decodeVector(bytes: unknown, dim: number, what: string): Float32Array {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength % 4 !== 0 || bytes.byteLength !== dim * 4) {
    throw new IndexCorruptError(`${what} is not a vector of ${dim} float32 values`);
  }
  const out = new Float32Array(dim);
  copyVector(bytes, out, 0);
  return out;
}

export function encodeCheckedBlob(tag: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = tag.charCodeAt(i) & 0xff;
  view.setUint32(4, payload.byteLength, true);
  view.setUint32(8, crc32(payload), true);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** The payload of a checked blob (a view into `bytes`). */
export function decodeCheckedBlob(bytes: unknown, tag: string, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength < HEADER_BYTES) throw new IndexCorruptError(`${what} is shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < 4; i++) if (bytes[i] !== (tag.charCodeAt(i) & 0xff)) throw new IndexCorruptError(`${what} does not start with ${tag}`);
  const length = view.getUint32(4, true);
  if (length !== bytes.byteLength - HEADER_BYTES) throw new IndexCorruptError(`${what} has ${bytes.byteLength - HEADER_BYTES} bytes, its header says ${length}`);
  const payload = bytes.subarray(HEADER_BYTES);
  if (crc32(payload) !== view.getUint32(8, true)) throw new IndexCorruptError(`${what} does not match its checksum`);
  return payload;
}

export function encodeIdf(idf: IdfTable): Uint8Array {
  const payload = new Uint8Array(8 + 4 * idf.dim);
  const view = new DataView(payload.buffer);
  view.setUint32(0, idf.dim, true);
  view.setUint32(4, idf.docCount, true);
  for (let b = 0; b < idf.dim; b++) view.setUint32(8 + 4 * b, idf.df[b] ?? 0, true);
  return encodeCheckedBlob(IDF_TAG, payload);
}

export function decodeIdf(bytes: unknown, dim: number): IdfTable {
  const payload = decodeCheckedBlob(bytes, IDF_TAG, 'the IDF table');
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload.byteLength < 8 || view.getUint32(0, true) !== dim || payload.byteLength !== 8 + 4 * dim) {
    throw new IndexCorruptError(`the IDF table is not one of dimension ${dim}`);
  }
  const table: IdfTable = { dim, docCount: view.getUint32(4, true), df: Array.from({ length: dim }, (_, b) => view.getUint32(8 + 4 * b, true)) };
  if (!isIdfTable(table, dim)) throw new IndexCorruptError('the IDF table counts more documents than it has');
  return table;
}
