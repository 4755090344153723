import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { acquireIndexLock, IndexBusyError } from '../../../../src/node/store/indexLock.ts';
import { DATABASE_FILE } from '../../../../src/node/store/indexManifest.ts';
import { IndexCorruptError, IndexStore } from '../../../../src/node/store/indexStore.ts';
import { DIM, EXPECT, chunk, kept, newFile, openWriter, paths, rawQuery, tempStoreDir, withReader } from './storeFixtures.ts';

test('commit then open and load round-trips chunks and rows in path order', async () => {
  const dir = tempStoreDir();
  const w = await openWriter(dir);
  assert.equal(w.store.manifest, undefined);
  assert.ok(!fs.existsSync(path.join(dir, DATABASE_FILE)), 'no database before the first commit');
  const skipped = { path: 'bin.dat', size: 3, mtimeMs: 1, hash: 'x', skip: 'NOT_TEXT' as const };
  const m = await w.store.commit({ files: [newFile('b.ts', 2, 5), newFile('a.ts', 1, 1), skipped], idf: null, complete: true });
  assert.equal(m.generation, 1);
  await w.done();
  const loaded = await withReader(dir, async (s) => {
    assert.equal(s.rebuildReason, undefined);
    return s.load();
  });
  assert.deepEqual(paths(loaded.chunks), ['a.ts:1', 'b.ts:1', 'b.ts:2']);
  assert.deepEqual(Array.from(loaded.rows.subarray(0, DIM)), Array.from(newFile('a.ts', 1, 1).rows!).map(Math.fround));
  assert.deepEqual(loaded.chunks[1], chunk('b.ts', 0));
  assert.deepEqual(loaded.manifest.files.map((f) => [f.path, f.count, f.skip]), [['a.ts', 1, undefined], ['b.ts', 2, undefined], ['bin.dat', 0, 'NOT_TEXT']]);
  assert.deepEqual(fs.readdirSync(dir).sort(), [DATABASE_FILE], 'one database file; the lock and the journal are gone');
  assert.deepEqual(await rawQuery(path.join(dir, DATABASE_FILE), 'PRAGMA page_size'), [{ page_size: 16384 }]);
});

test('a later commit writes only new and changed files; removed files go; stats of kept files are updated', async () => {
  const dir = tempStoreDir();
  const db = path.join(dir, DATABASE_FILE);
  const w = await openWriter(dir);
  const m1 = await w.store.commit({ files: [newFile('a.ts', 2, 1), newFile('b.ts', 1, 2), newFile('gone.ts', 2, 3)], idf: null, complete: false });
  const rowids = async (p: string) => (await rawQuery(db, 'SELECT rowid FROM chunks WHERE file = ? ORDER BY ordinal', [p])).map((r) => r.rowid);
  const aBefore = await rowids('a.ts');
  const a = m1.files.find((f) => f.path === 'a.ts')!;
  const m2 = await w.store.commit({ files: [{ ...kept(a), mtimeMs: 77 }, newFile('b.ts', 3, 9)], idf: null, complete: true });
  assert.equal(m2.generation, 2);
  assert.deepEqual(await rowids('a.ts'), aBefore, 'kept chunks are not rewritten');
  assert.deepEqual(m2.files.map((f) => [f.path, f.count, f.mtimeMs]), [['a.ts', 2, 77], ['b.ts', 3, 1009]]);
  assert.deepEqual(await rawQuery(db, "SELECT count(*) AS n FROM chunks WHERE file = 'gone.ts'"), [{ n: 0 }]);
  assert.deepEqual(Array.from(await w.store.readRows({ path: 'b.ts', count: 3 })), Array.from(newFile('b.ts', 3, 9).rows!).map(Math.fround));
  await assert.rejects(w.store.commit({ files: [{ ...kept(a), range: { path: 'a.ts', count: 5 } }], idf: null, complete: true }), /kept file a\.ts has 2 stored chunks, not 5/);
  await w.done();
  const loaded = await withReader(dir, (s) => s.load());
  assert.deepEqual(paths(loaded.chunks), ['a.ts:1', 'a.ts:2', 'b.ts:1', 'b.ts:2', 'b.ts:3']);
  assert.equal(loaded.manifest.complete, true);
});

test('the IDF table and the header round-trip; a reader cannot commit', async () => {
  const dir = tempStoreDir();
  const w = await openWriter(dir);
  const idf = { dim: DIM, docCount: 3, df: [0, 1, 3, 2] };
  await w.store.commit({ files: [newFile('a.ts', 3, 1)], idf, complete: true });
  await w.done();
  await withReader(dir, async (s) => {
    assert.deepEqual({ ...s.manifest, files: undefined, updatedAt: undefined }, {
      formatVersion: 2, ...EXPECT, generation: 1, complete: true, idf, files: undefined, updatedAt: undefined,
    });
    await assert.rejects(s.commit({ files: [], idf: null, complete: true }), /opened for reading; commits need the writer's lock/);
  });
});

test('another format version, encoder or chunk size is rebuilt, never read', async () => {
  const dir = tempStoreDir();
  const w = await openWriter(dir);
  await w.store.commit({ files: [newFile('a.ts', 1, 1)], idf: null, complete: true });
  await w.done();
  const logger = new MemoryLogger();
  const other = await IndexStore.open(dir, { ...EXPECT, encoderId: 'onnx-minilm', logger });
  assert.equal(other.manifest, undefined);
  assert.match(other.rebuildReason ?? '', /encoder test-v1-d4, not onnx-minilm/);
  await assert.rejects(other.load(), /there is no index to load/);
  other.close();
  assert.ok(logger.entries.some((e) => e.level === 'warn' && /will be rebuilt/.test(e.message)));
  assert.match((await IndexStore.open(dir, { ...EXPECT, chunker: 'fake-v2' })).rebuildReason ?? '', /chunked by fake-v1, not fake-v2/);
  await rawQuery(path.join(dir, DATABASE_FILE), "UPDATE meta SET value = 99 WHERE key = 'format_version'");
  assert.match((await IndexStore.open(dir, EXPECT)).rebuildReason ?? '', /index format 99 differs from 2/);
  // The writer deletes it and starts a new database with its first commit.
  const w2 = await openWriter(dir, { chunkTokens: 512 });
  assert.match(w2.store.rebuildReason ?? '', /index format 99 differs from 2/);
  assert.ok(!fs.existsSync(path.join(dir, DATABASE_FILE)));
  await w2.store.commit({ files: [newFile('z.ts', 1, 1)], idf: null, complete: true });
  await w2.done();
  assert.match((await IndexStore.open(dir, EXPECT)).rebuildReason ?? '', /chunked at 512 tokens, not 256/);
});

test('an older format folder (index-v1) is not read: reported, then removed by the writer', async () => {
  const dir = tempStoreDir();
  const v1 = path.join(path.dirname(dir), 'index-v1');
  fs.mkdirSync(v1, { recursive: true });
  fs.writeFileSync(path.join(v1, 'manifest.json'), '{"formatVersion":1}');
  fs.writeFileSync(path.join(v1, 'chunks-1.jsonl'), '{}\n');
  const reader = await IndexStore.open(dir, EXPECT);
  assert.equal(reader.manifest, undefined);
  assert.equal(reader.rebuildReason, 'index format 1 differs from 2');
  assert.ok(fs.existsSync(v1), 'a reader removes nothing');
  const w = await openWriter(dir);
  assert.equal(w.store.rebuildReason, 'index format 1 differs from 2');
  assert.ok(!fs.existsSync(v1));
  await w.done();
});

test('named blobs keep their bytes and the generation they were written at; a damaged one reads as absent', async () => {
  const dir = tempStoreDir();
  const w = await openWriter(dir);
  assert.equal(await w.store.readBlob('centroids'), undefined);
  await w.store.commit({ files: [newFile('a.ts', 1, 1)], idf: null, complete: true });
  await w.store.writeBlob('centroids', Uint8Array.from([1, 2, 3]));
  await w.store.commit({ files: [newFile('b.ts', 1, 2)], idf: null, complete: true });
  assert.deepEqual(await w.store.readBlob('centroids'), { generation: 1, data: Uint8Array.from([1, 2, 3]) });
  await w.store.writeBlob('centroids', new Uint8Array(0));
  assert.deepEqual(await w.store.readBlob('centroids'), { generation: 2, data: new Uint8Array(0) });
  await w.done();
  // a reader may keep blobs too (the search side persists what it built)
  await withReader(dir, async (s) => {
    await s.writeBlob('other', Uint8Array.from([9]));
    assert.equal(s.generation, 2);
  });
  await rawQuery(path.join(dir, DATABASE_FILE), "UPDATE blobs SET data = CAST(substr(data, 1, length(data) - 1) || x'00' AS BLOB) WHERE name = 'other'");
  const logger = new MemoryLogger();
  await withReader(dir, async (s) => assert.equal(await s.readBlob('other'), undefined), { logger });
  assert.ok(logger.entries.some((e) => e.level === 'warn' && /damaged blob .*blob other does not match its checksum/.test(e.message)));
});

test('a chunk whose bytes changed fails its checksum on load', async () => {
  const dir = tempStoreDir();
  const w = await openWriter(dir);
  await w.store.commit({ files: [newFile('a.ts', 3, 1)], idf: null, complete: true });
  await w.done();
  await rawQuery(path.join(dir, DATABASE_FILE), "UPDATE chunks SET record = CAST(replace(CAST(record AS TEXT), 'line 1', 'line 7') AS BLOB) WHERE ordinal = 1");
  await withReader(dir, async (s) => {
    assert.equal(s.rebuildReason, undefined, 'open reads only the header');
    await assert.rejects(s.load(), (e: unknown) => e instanceof IndexCorruptError && /a chunk of a\.ts does not match its checksum/.test(e.message));
  });
  // the reader left a note: the writer's next open checks every row, and rebuilds
  assert.match(fs.readFileSync(path.join(dir, `${DATABASE_FILE}.damaged`), 'utf8'), /does not match its checksum/);
  const w2 = await openWriter(dir);
  assert.match(w2.store.rebuildReason ?? '', /stored data is damaged: a chunk of a\.ts does not match its checksum/);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['lock']);
  await w2.done();
});

test('a damage note on a whole database: the full check passes, the note goes', async () => {
  const dir = tempStoreDir();
  const w = await openWriter(dir);
  await w.store.commit({ files: [newFile('a.ts', 3, 1)], idf: null, complete: true });
  await w.done();
  fs.writeFileSync(path.join(dir, `${DATABASE_FILE}.damaged`), 'something\n');
  const logger = new MemoryLogger();
  const w2 = await openWriter(dir, { logger });
  assert.equal(w2.store.rebuildReason, undefined);
  assert.ok(logger.entries.some((e) => /passed a full check after a reader reported: something/.test(e.message)));
  await w2.done();
  assert.deepEqual(fs.readdirSync(dir).sort(), [DATABASE_FILE]);
});

test('one writer at a time: a live lock holder makes the next one fail, a stale lock is taken over', async () => {
  const dir = tempStoreDir();
  fs.mkdirSync(dir, { recursive: true });
  const lock = await acquireIndexLock(dir);
  assert.equal(lock.tookOver, false);
  await assert.rejects(acquireIndexLock(dir), IndexBusyError);
  await lock.release();
  fs.writeFileSync(path.join(dir, 'lock'), '999999999');
  const again = await acquireIndexLock(dir);
  assert.equal(again.tookOver, true);
  await again.release();
  assert.ok(!fs.existsSync(path.join(dir, 'lock')));
});
