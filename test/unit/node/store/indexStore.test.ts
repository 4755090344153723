import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { IndexStore, type UpdatedFile } from '../../../../src/node/store/indexStore.ts';
import { IndexCorruptError } from '../../../../src/node/store/indexSegment.ts';
import { acquireIndexLock, IndexBusyError } from '../../../../src/node/store/indexLock.ts';

const DIM = 4;
const EXPECT = { encoderId: 'test-v1-d4', dim: DIM, chunker: 'fake-v1', chunkTokens: 256 };

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-store-'));
}

function chunk(p: string, i: number): Chunk {
  const text = `line ${i} of ${p}\n`;
  return { path: p, language: 'plaintext', span: { start: 0, end: text.length }, startLine: i + 1, endLine: i + 1, symbolPath: [], text, definitions: [], parser: 'lines' };
}

function newFile(p: string, n: number, seed: number): UpdatedFile {
  const chunks = Array.from({ length: n }, (_, i) => chunk(p, i));
  const rows = Float32Array.from({ length: n * DIM }, (_, i) => seed + i / 10);
  return { path: p, size: 10 * n, mtimeMs: 1000 + seed, hash: `h-${p}-${seed}`, chunks, rows };
}

function kept(e: { path: string; size: number; mtimeMs: number; hash: string; seg: number; row: number; count: number }): UpdatedFile {
  return { path: e.path, size: e.size, mtimeMs: e.mtimeMs, hash: e.hash, range: { seg: e.seg, row: e.row, count: e.count } };
}

const listDir = (dir: string) => fs.readdirSync(dir).sort();

test('commit then open and load round-trips chunks and rows in path order', async () => {
  const dir = tempDir();
  const store = await IndexStore.open(dir, EXPECT);
  assert.equal(store.manifest, undefined);
  await store.commit({ files: [newFile('b.ts', 2, 5), newFile('a.ts', 1, 1), { path: 'bin.dat', size: 3, mtimeMs: 1, hash: 'x', skip: 'NOT_TEXT' }], idf: null, complete: true });
  const again = await IndexStore.open(dir, EXPECT);
  assert.equal(again.rebuildReason, undefined);
  const loaded = await again.load();
  assert.deepEqual(loaded.chunks.map((c) => `${c.path}:${c.startLine}`), ['a.ts:1', 'b.ts:1', 'b.ts:2']);
  assert.deepEqual(Array.from(loaded.rows.subarray(0, DIM)), Array.from(newFile('a.ts', 1, 1).rows!).map(Math.fround));
  assert.deepEqual(loaded.chunks[1], chunk('b.ts', 0));
  assert.equal(loaded.manifest.files.find((f) => f.path === 'bin.dat')?.skip, 'NOT_TEXT');
  assert.deepEqual(listDir(dir), ['chunks-1.jsonl', 'manifest.json', 'vectors-1.f32']);
});

test('a later commit writes only the new files; dead segments are deleted or compacted', async () => {
  const dir = tempDir();
  const store = await IndexStore.open(dir, EXPECT);
  const m1 = await store.commit({ files: [newFile('a.ts', 2, 1), newFile('b.ts', 1, 2)], idf: null, complete: true });
  const a = m1.files.find((f) => f.path === 'a.ts')!;
  const m2 = await store.commit({ files: [kept(a), newFile('b.ts', 3, 9)], idf: null, complete: true });
  assert.deepEqual(m2.segments.map((s) => [s.gen, s.rows]), [[1, 3], [2, 3]]);
  assert.deepEqual(listDir(dir), ['chunks-1.jsonl', 'chunks-2.jsonl', 'manifest.json', 'vectors-1.f32', 'vectors-2.f32']);
  const loaded = await (await IndexStore.open(dir, EXPECT)).load();
  assert.deepEqual(loaded.chunks.map((c) => `${c.path}:${c.startLine}`), ['a.ts:1', 'a.ts:2', 'b.ts:1', 'b.ts:2', 'b.ts:3']);
  // a.ts alone keeps 2 of segment 1's 3 rows; dropping b's old rows again leaves segment 2 one-third live: compacted.
  const a2 = m2.files.find((f) => f.path === 'a.ts')!;
  const m3 = await store.commit({ files: [kept(a2), { ...newFile('c.ts', 1, 3) }, kept({ ...m2.files.find((f) => f.path === 'b.ts')!, count: 1 })], idf: null, complete: true });
  assert.deepEqual(m3.segments.map((s) => s.gen), [1, 3]);
  assert.deepEqual(listDir(dir), ['chunks-1.jsonl', 'chunks-3.jsonl', 'manifest.json', 'vectors-1.f32', 'vectors-3.f32']);
  const l3 = await (await IndexStore.open(dir, EXPECT)).load();
  assert.deepEqual(l3.chunks.map((c) => `${c.path}:${c.startLine}`), ['a.ts:1', 'a.ts:2', 'b.ts:1', 'c.ts:1']);
  assert.deepEqual(Array.from(await store.readRows(m3.files.find((f) => f.path === 'b.ts')!)), Array.from(newFile('b.ts', 1, 9).rows!).map(Math.fround));
});

test('another format version, encoder or chunk size is rebuilt, never read', async () => {
  const dir = tempDir();
  await (await IndexStore.open(dir, EXPECT)).commit({ files: [newFile('a.ts', 1, 1)], idf: null, complete: true });
  const logger = new MemoryLogger();
  const other = await IndexStore.open(dir, { ...EXPECT, encoderId: 'onnx-minilm' , logger });
  assert.equal(other.manifest, undefined);
  assert.match(other.rebuildReason ?? '', /encoder test-v1-d4, not onnx-minilm/);
  assert.ok(logger.entries.some((e) => e.level === 'warn' && /will be rebuilt/.test(e.message)));
  assert.match((await IndexStore.open(dir, { ...EXPECT, chunkTokens: 512 })).rebuildReason ?? '', /chunked at 256/);
  assert.match((await IndexStore.open(dir, { ...EXPECT, chunker: 'fake-v2' })).rebuildReason ?? '', /chunked by fake-v1, not fake-v2/);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: 99 }));
  assert.match((await IndexStore.open(dir, EXPECT)).rebuildReason ?? '', /index format 99 differs from 1/);
  fs.writeFileSync(path.join(dir, 'manifest.json'), '{"formatVersion": 1, "enc');
  assert.match((await IndexStore.open(dir, EXPECT)).rebuildReason ?? '', /not valid JSON/);
});

test('a corrupt or missing vectors file is detected', async () => {
  const dir = tempDir();
  await (await IndexStore.open(dir, EXPECT)).commit({ files: [newFile('a.ts', 3, 1)], idf: null, complete: true });
  const vectors = path.join(dir, 'vectors-1.f32');
  const written = fs.statSync(vectors);
  const bytes = fs.readFileSync(vectors);
  bytes[5] = bytes[5]! ^ 0xff;
  fs.writeFileSync(vectors, bytes);
  fs.utimesSync(vectors, written.atime, new Date(written.mtimeMs + 2000));
  // the mtime moved since the store wrote the file: it is hashed on open
  assert.match((await IndexStore.open(dir, EXPECT)).rebuildReason ?? '', /vectors-1\.f32 does not match its checksum/);
  // same size and mtime (silent damage): only a full check or a load finds it
  fs.utimesSync(vectors, written.atime, written.mtime);
  const trusting = await IndexStore.open(dir, EXPECT);
  assert.equal(trusting.rebuildReason, undefined);
  await assert.rejects(trusting.load(), IndexCorruptError);
  assert.match((await IndexStore.open(dir, { ...EXPECT, verifyChecksums: true })).rebuildReason ?? '', /does not match its checksum/);
  fs.truncateSync(vectors, 8);
  assert.match((await IndexStore.open(dir, EXPECT)).rebuildReason ?? '', /vectors-1\.f32 has 8 bytes/);
  fs.rmSync(vectors);
  assert.match((await IndexStore.open(dir, EXPECT)).rebuildReason ?? '', /vectors-1\.f32 is missing/);
});

test('a crash between writing a generation and swapping the manifest leaves the old index loadable', async () => {
  const dir = tempDir();
  const store = await IndexStore.open(dir, EXPECT);
  await store.commit({ files: [newFile('a.ts', 2, 1)], idf: null, complete: true });
  await store.prepare({ files: [newFile('a.ts', 5, 7), newFile('z.ts', 1, 8)], idf: null, complete: true });
  fs.writeFileSync(path.join(dir, 'manifest.json.123.tmp'), '{"half": ');
  // "crash": the prepared manifest is never published
  const reopened = await IndexStore.open(dir, EXPECT);
  assert.equal(reopened.rebuildReason, undefined);
  assert.deepEqual((await reopened.load()).chunks.map((c) => `${c.path}:${c.startLine}`), ['a.ts:1', 'a.ts:2']);
  assert.ok(listDir(dir).includes('chunks-2.jsonl'));
  await reopened.commit({ files: [newFile('b.ts', 1, 2)], idf: null, complete: true });
  assert.deepEqual(listDir(dir), ['chunks-2.jsonl', 'manifest.json', 'vectors-2.f32']);
  assert.deepEqual((await reopened.load()).chunks.map((c) => c.path), ['b.ts']);
});

test('one writer at a time: a live lock holder makes the next one fail, a stale lock is taken over', async () => {
  const dir = tempDir();
  const lock = await acquireIndexLock(dir);
  await assert.rejects(acquireIndexLock(dir), IndexBusyError);
  await lock.release();
  fs.writeFileSync(path.join(dir, 'lock'), '999999999');
  const again = await acquireIndexLock(dir);
  await again.release();
  assert.ok(!fs.existsSync(path.join(dir, 'lock')));
});
