/**
 * Fuzzing of the store's decoders of its own data (chunk rows, vectors, IDF table, meta rows, file rows,
 * checked blobs): encode → decode is the identity, and any bytes or column values, random or mutated from
 * valid ones, decode to a valid value or throw IndexCorruptError, never another exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { isIdfTable } from '../../../../src/common/encode/idfTable.ts';
import { crc32, crc32Portable } from '../../../../src/node/store/crc32.ts';
import { IndexCorruptError } from '../../../../src/node/store/indexCorruptError.ts';
import { INDEX_FORMAT_VERSION, type IndexMeta } from '../../../../src/node/store/indexManifest.ts';
import { META_KEYS, decodeFileRow, decodeFileTable, decodeFormatVersion, decodeMeta, encodeFileRow, encodeMeta, metaMap } from '../../../../src/node/store/metaCodec.ts';
import {
  BLOB_TAG, IDF_TAG, decodeCheckedBlob, decodeChunkRecord, decodeChunkRow, decodeIdf, decodeVector, encodeCheckedBlob, encodeChunkRow, encodeIdf, encodeVector,
} from '../../../../src/node/store/storeCodec.ts';

const DIM = 8;
const RUNS = { numRuns: 300 };

/** Runs `decode`: a result must pass `valid`; IndexCorruptError is fine; any other exception fails the property. */
function validOrCorrupt<T>(decode: () => T, valid: (v: T) => boolean = () => true): boolean {
  let value: T;
  try {
    value = decode();
  } catch (e) {
    if (e instanceof IndexCorruptError) return true;
    throw e;
  }
  return valid(value);
}

function throwsCorrupt(decode: () => unknown): boolean {
  return validOrCorrupt(() => decode(), () => false);
}

const text = (maxLength = 40) => fc.string({ unit: 'binary', maxLength });
const plain = { noNullPrototype: true };
const span = fc.record({ start: fc.nat(), end: fc.nat() }, plain);
const definition = fc.record({ kind: text(10), name: text(), signature: span, body: span, depth: fc.nat(8) }, { requiredKeys: ['kind', 'name', 'signature'], ...plain });
const chunkArb: fc.Arbitrary<Chunk> = fc.record({
  path: text().filter((p) => p.length > 0), language: text(12), span, startLine: fc.nat(), endLine: fc.nat(),
  symbolPath: fc.array(text(), { maxLength: 4 }), text: text(300), definitions: fc.array(definition, { maxLength: 3 }),
  parser: fc.constantFrom('tree-sitter' as const, 'lines' as const),
}, plain);
const vectorArb = fc.float32Array({ minLength: DIM, maxLength: DIM });
const columnValue = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.uint8Array({ maxLength: 64 }), fc.constant(null), fc.bigInt());

/** Flips, cuts and appends bytes. */
const mutations = fc.array(fc.tuple(fc.constantFrom('flip', 'cut', 'add'), fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 });
function mutate(bytes: Uint8Array, ops: [string, number, number][]): Uint8Array {
  let out = Uint8Array.from(bytes);
  for (const [op, at, v] of ops) {
    if (op === 'flip' && out.length > 0) out[at % out.length] = (out[at % out.length] as number) ^ v;
    else if (op === 'cut') out = out.subarray(0, at % (out.length + 1));
    else out = Uint8Array.from([...out, v]);
  }
  return out;
}

test('chunk rows: encode → decode is the identity', () => {
  fc.assert(fc.property(chunkArb, vectorArb, (chunk, vector) => {
    const row = encodeChunkRow(chunk, vector);
    const back = decodeChunkRow(chunk.path, row.record, row.vector, row.crc, DIM);
    assert.deepEqual(back.chunk, chunk);
    assert.deepEqual(decodeVector(back.vector, DIM, 'v'), vector);
  }), RUNS);
});

test('chunk rows: mutated bytes fail the checksum; any column values decode or throw IndexCorruptError', () => {
  fc.assert(fc.property(chunkArb, vectorArb, mutations, fc.boolean(), (chunk, vector, ops, inRecord) => {
    const row = encodeChunkRow(chunk, vector);
    const record = inRecord ? mutate(row.record, ops) : row.record;
    const vec = inRecord ? row.vector : mutate(row.vector, ops);
    const changed = !Buffer.from(record).equals(Buffer.from(row.record)) || !Buffer.from(vec).equals(Buffer.from(row.vector));
    return changed && ops.length === 1 ? throwsCorrupt(() => decodeChunkRow(chunk.path, record, vec, row.crc, DIM)) : validOrCorrupt(() => decodeChunkRow(chunk.path, record, vec, row.crc, DIM));
  }), RUNS);
  fc.assert(fc.property(columnValue, columnValue, columnValue, (record, vector, crc) => validOrCorrupt(() => decodeChunkRow('a.ts', record, vector, crc, DIM))), RUNS);
});

test('chunk records with a matching checksum but any bytes or JSON: a valid chunk or IndexCorruptError', () => {
  const isChunk = (c: Chunk) => typeof c.text === 'string' && Array.isArray(c.definitions) && c.path === 'a.ts';
  const withCrc = (record: Uint8Array, vector: Uint8Array) => decodeChunkRow('a.ts', record, vector, crc32(vector, crc32(record)), DIM);
  const vector = encodeVector(new Float32Array(DIM));
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => validOrCorrupt(() => withCrc(bytes, vector).chunk, isChunk)), RUNS);
  fc.assert(fc.property(fc.jsonValue(), (json) => validOrCorrupt(() => decodeChunkRecord('a.ts', new TextEncoder().encode(JSON.stringify(json))), isChunk)), RUNS);
  fc.assert(fc.property(chunkArb, mutations, (chunk, ops) => {
    const record = mutate(encodeChunkRow(chunk, new Float32Array(DIM)).record, ops);
    return validOrCorrupt(() => decodeChunkRecord('a.ts', record), isChunk);
  }), RUNS);
});

test('vectors: round trip; wrong sizes and types are IndexCorruptError', () => {
  fc.assert(fc.property(vectorArb, (v) => assert.deepEqual(decodeVector(encodeVector(v), DIM, 'v'), v)), RUNS);
  fc.assert(fc.property(fc.oneof(columnValue, fc.uint8Array({ maxLength: 64 })), (x) => validOrCorrupt(() => decodeVector(x, DIM, 'v'), (v) => v.length === DIM)), RUNS);
});

test('checked blobs: round trip; a single changed byte is always caught; anything else decodes or throws IndexCorruptError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (payload) => assert.deepEqual(decodeCheckedBlob(encodeCheckedBlob(BLOB_TAG, payload), BLOB_TAG, 'b'), payload)), RUNS);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (payload, at, v) => {
    const blob = encodeCheckedBlob(BLOB_TAG, payload);
    blob[at % blob.length] = (blob[at % blob.length] as number) ^ v;
    return throwsCorrupt(() => decodeCheckedBlob(blob, BLOB_TAG, 'b'));
  }), RUNS);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), mutations, (payload, ops) => validOrCorrupt(() => decodeCheckedBlob(mutate(encodeCheckedBlob(BLOB_TAG, payload), ops), BLOB_TAG, 'b'))), RUNS);
  fc.assert(fc.property(columnValue, (x) => validOrCorrupt(() => decodeCheckedBlob(x, BLOB_TAG, 'b'))), RUNS);
});

const idfArb = fc.nat(5000).chain((docCount) => fc.array(fc.nat(docCount), { minLength: DIM, maxLength: DIM }).map((df) => ({ dim: DIM, docCount, df })));

test('IDF tables: round trip; mutated or forged payloads give a valid table or IndexCorruptError', () => {
  fc.assert(fc.property(idfArb, (idf) => assert.deepEqual(decodeIdf(encodeIdf(idf), DIM), idf)), RUNS);
  fc.assert(fc.property(idfArb, mutations, (idf, ops) => validOrCorrupt(() => decodeIdf(mutate(encodeIdf(idf), ops), DIM), (t) => isIdfTable(t, DIM))), RUNS);
  // a payload with a valid header and checksum but any content: the table's own rules still hold
  fc.assert(fc.property(fc.uint8Array({ maxLength: 8 + 4 * DIM + 8 }), (payload) => validOrCorrupt(() => decodeIdf(encodeCheckedBlob(IDF_TAG, payload), DIM), (t) => isIdfTable(t, DIM))), RUNS);
});

const metaArb: fc.Arbitrary<IndexMeta> = fc.record({
  formatVersion: fc.constant(INDEX_FORMAT_VERSION), encoderId: text(), dim: fc.constant(DIM), chunker: text(), chunkTokens: fc.integer({ min: 1, max: 1e6 }),
  generation: fc.nat(), complete: fc.boolean(), updatedAt: text(), idf: fc.option(idfArb, { nil: null }),
}, plain);
const rowsOf = (pairs: [string, unknown][]) => pairs.map(([key, value]) => ({ key, value }));

test('meta rows: round trip; changed, missing or foreign rows give a valid header or IndexCorruptError', () => {
  fc.assert(fc.property(metaArb, (meta) => assert.deepEqual(decodeMeta(metaMap(rowsOf(encodeMeta(meta)))), meta)), RUNS);
  const keys = fc.constantFrom(...Object.values(META_KEYS));
  fc.assert(fc.property(metaArb, keys, columnValue, fc.boolean(), (meta, key, value, drop) => {
    const rows = rowsOf(encodeMeta(meta)).flatMap((r) => (r.key !== key ? [r] : drop ? [] : [{ key, value }]));
    return validOrCorrupt(() => decodeMeta(metaMap(rows)), (m) => m.dim >= 1 && typeof m.encoderId === 'string' && (m.idf === null || isIdfTable(m.idf, m.dim)));
  }), RUNS);
  fc.assert(fc.property(fc.array(fc.record({ key: fc.oneof(keys, fc.string()), value: columnValue }), { maxLength: 12 }), (rows) =>
    validOrCorrupt(() => [decodeFormatVersion(metaMap(rows)), decodeMeta(metaMap(rows))])), RUNS);
  fc.assert(fc.property(fc.anything(), (x) => validOrCorrupt(() => metaMap(x))), RUNS);
});

test('file rows and the files table: round trip; any column values or text give valid entries or IndexCorruptError', () => {
  const entryArb = fc.record({
    path: text().filter((p) => p.length > 0), size: fc.nat(), mtimeMs: fc.double({ noNaN: true, noDefaultInfinity: true }), hash: text(64),
    count: fc.nat(1000),
  }, plain);
  fc.assert(fc.property(entryArb, (e) => assert.deepEqual(decodeFileRow(encodeFileRow(e)), e)), RUNS);
  const skipped = { path: 'bin.dat', size: 3, mtimeMs: 1, hash: 'x', count: 0, skip: 'NOT_TEXT' as const };
  assert.deepEqual(decodeFileRow(encodeFileRow(skipped)), skipped);
  const anyRow = fc.record({ path: columnValue, size: columnValue, mtime_ms: columnValue, hash: columnValue, skip: fc.oneof(columnValue, fc.constantFrom('NOT_TEXT', 'SECRET')), chunk_count: columnValue }, { requiredKeys: [] });
  fc.assert(fc.property(fc.oneof(anyRow, fc.anything()), (row) => validOrCorrupt(() => decodeFileRow(row), (e) => e.path.length > 0 && e.count >= 0)), RUNS);
  // the whole table as the database returns it (JSON): round trip, then any text or JSON
  const asJson = (entries: { path: string; size: number; mtimeMs: number; hash: string; count: number }[]) =>
    JSON.stringify(entries.map((e) => [e.path, e.size, e.mtimeMs, e.hash, null, e.count]));
  const noNegativeZero = <T extends { mtimeMs: number }>(entries: T[]) => entries.map((e) => ({ ...e, mtimeMs: e.mtimeMs + 0 })); // JSON has no -0
  fc.assert(fc.property(fc.array(entryArb, { maxLength: 5 }).map(noNegativeZero), (entries) => assert.deepEqual(decodeFileTable(asJson(entries)), entries)), RUNS);
  fc.assert(fc.property(fc.oneof(fc.string(), fc.jsonValue().map((j) => JSON.stringify(j)), columnValue), (json) =>
    validOrCorrupt(() => decodeFileTable(json), (files) => files.every((e) => e.path.length > 0))), RUNS);
  fc.assert(fc.property(fc.array(entryArb, { minLength: 1, maxLength: 5 }), mutations, (entries, ops) => {
    const text = new TextDecoder().decode(mutate(new TextEncoder().encode(asJson(entries)), ops));
    return validOrCorrupt(() => decodeFileTable(text), (files) => files.every((e) => e.path.length > 0));
  }), RUNS);
});

test('crc32: the portable fallback equals the native one', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(), (bytes, seed) => crc32Portable(bytes, seed >>> 0) === crc32(bytes, seed >>> 0)), RUNS);
  assert.equal(crc32Portable(new TextEncoder().encode('123456789')), 0xcbf43926);
});
