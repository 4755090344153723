/**
 * What other processes leave behind: a hot journal and a lock directory of a writer killed mid-commit,
 * the lock directory of a reader that died, live holders that must be waited for, and damaged files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { acquireIndexLock } from '../../../../src/node/store/indexLock.ts';
import { DATABASE_FILE } from '../../../../src/node/store/indexManifest.ts';
import { DatabaseBusyError } from '../../../../src/node/store/storeConnection.ts';
import { IndexStore } from '../../../../src/node/store/indexStore.ts';
import { EXPECT, newFile, openWriter, paths, rawQuery, tempStoreDir, withReader } from './storeFixtures.ts';

const SQLITE = createRequire(import.meta.url).resolve('node-sqlite3-wasm');

/** A store with 3 files of 60 chunks each (about 20 pages). */
async function filledStore(): Promise<{ dir: string; db: string; expected: string[] }> {
  const dir = tempStoreDir();
  const w = await openWriter(dir);
  await w.store.commit({ files: ['a.ts', 'b.ts', 'c.ts'].map((p, i) => newFile(p, 60, i, 4000)), idf: null, complete: true });
  await w.done();
  const expected = paths((await withReader(dir, (s) => s.load())).chunks);
  return { dir, db: path.join(dir, DATABASE_FILE), expected };
}

/** A child rewrites every chunk inside a transaction with a tiny page cache (pages reach the file), then is killed. */
function killMidTransaction(db: string): Promise<void> {
  const code = `const { Database } = require(${JSON.stringify(SQLITE)}); const db = new Database(process.argv[1]);
    db.exec('PRAGMA cache_size = 2; BEGIN IMMEDIATE'); db.run("UPDATE chunks SET record = randomblob(length(record))");
    process.stdout.write('inside\\n'); setInterval(() => {}, 1000);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code, db], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', () => child.kill('SIGKILL'));
    child.on('error', reject);
    child.on('close', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error('the child ended by itself'))));
  });
}

test('a writer killed mid-transaction: its lock directory is removed, its hot journal rolled back, the data is the committed one', async () => {
  const { dir, db, expected } = await filledStore();
  await killMidTransaction(db);
  assert.ok(fs.existsSync(`${db}-journal`) && fs.existsSync(`${db}.lock`), 'the kill left a hot journal and the lock directory');
  const logger = new MemoryLogger();
  const loaded = await withReader(dir, async (s) => {
    assert.equal(s.rebuildReason, undefined);
    return s.load();
  }, { logger });
  assert.deepEqual(paths(loaded.chunks), expected);
  const warnings = logger.entries.filter((e) => e.level !== 'debug').map((e) => e.message).join('\n');
  assert.match(warnings, /removed .*index\.sqlite\.lock, a lock left by a process that ended/);
  assert.match(warnings, /rolled back .*index\.sqlite-journal/);
  assert.match(warnings, /checked .*index\.sqlite in \d+ ms/, 'quick_check ran after the recovery');
  assert.deepEqual(fs.readdirSync(dir).sort(), [DATABASE_FILE]);
  assert.deepEqual(await rawQuery(db, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
});

test('the writer recovers the same way, and keeps committing', async () => {
  const { dir, db } = await filledStore();
  await killMidTransaction(db);
  const w = await openWriter(dir);
  assert.equal(w.store.rebuildReason, undefined);
  await w.store.commit({ files: [...w.store.manifest!.files.map((f) => ({ ...f, range: f })), newFile('d.ts', 1, 9)], idf: null, complete: true });
  await w.done();
  assert.deepEqual((await withReader(dir, (s) => s.load())).manifest.files.map((f) => f.path), ['a.ts', 'b.ts', 'c.ts', 'd.ts']);
});

test('a stale lock directory of a dead reader is removed by the next reader', async () => {
  const { dir, db, expected } = await filledStore();
  fs.mkdirSync(`${db}.lock`);
  fs.writeFileSync(path.join(dir, 'reader-2147483646-0-1.pid'), '2147483646');
  assert.deepEqual(paths((await withReader(dir, (s) => s.load())).chunks), expected);
  assert.deepEqual(fs.readdirSync(dir).sort(), [DATABASE_FILE], 'the dead reader entry is cleaned up too');
});

test('a live holder is waited for: a reader while the writer commits, the writer while a reader reads; then a clear error', async () => {
  const { dir, db, expected } = await filledStore();
  // the writer (this process, by its pid lock) is inside a commit for 150 ms
  fs.writeFileSync(path.join(dir, 'lock'), String(process.pid));
  fs.mkdirSync(`${db}.lock`);
  setTimeout(() => fs.rmdirSync(`${db}.lock`), 150);
  assert.deepEqual(paths((await withReader(dir, (s) => s.load())).chunks), expected);
  fs.mkdirSync(`${db}.lock`);
  await assert.rejects(withReader(dir, (s) => s.load(), { busyTimeoutMs: 200 }), (e: unknown) =>
    e instanceof DatabaseBusyError && e.message.includes(`${db} stayed locked by another process`));
  fs.rmSync(path.join(dir, 'lock'));
  // a live reader (announced by this process) holds the database: the writer waits, then gives up
  const entry = path.join(dir, `reader-${process.pid}-0-1.pid`);
  fs.writeFileSync(entry, String(process.pid));
  const lock = await acquireIndexLock(dir);
  await assert.rejects(IndexStore.open(dir, { ...EXPECT, lock, busyTimeoutMs: 200 }), DatabaseBusyError);
  fs.rmSync(entry);
  const again = await IndexStore.open(dir, { ...EXPECT, lock });
  assert.equal(again.manifest?.files.length, 3, 'with no live reader the lock directory is stale and removed');
  again.close();
  await lock.release();
});

for (const [name, damage, reason] of [
  ['truncated to 60%', (b: Buffer) => b.subarray(0, Math.floor(b.length * 0.6)), /stored data is damaged: .*index\.sqlite: database disk image is malformed/],
  ['zero-filled', (b: Buffer) => Buffer.alloc(b.length), /stored data is damaged: .*(not a database|no meta table|malformed)/],
  ['bytes flipped across its pages', (b: Buffer) => b.map((v, i) => (i > 100 && i % 997 === 0 ? v ^ 0xff : v)), /stored data is damaged/],
] as const) {
  test(`a database ${name}: reported with a reason on open (a checked one where the size is right), deleted by the writer`, async () => {
    const { dir, db } = await filledStore();
    fs.writeFileSync(db, damage(fs.readFileSync(db)));
    const reader = await IndexStore.open(dir, { ...EXPECT, verifyChecksums: !name.startsWith('truncated') });
    assert.match(reader.rebuildReason ?? '', reason);
    assert.equal(reader.manifest, undefined);
    const w = await openWriter(dir);
    assert.match(w.store.rebuildReason ?? '', /stored data is damaged/);
    assert.ok(!fs.existsSync(db));
    await w.done();
  });
}
