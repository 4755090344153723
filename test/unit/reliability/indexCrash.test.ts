/**
 * Crash safety of the indexer and its store (issue 7, item 4).
 *
 * 1. A child process indexes a generated corpus and is SIGKILLed at 20 seeded random moments. After each
 *    kill the store opens without a rebuild (a kill inside a commit leaves SQLite's hot journal and the
 *    lock directory of node-sqlite3-wasm; both are recovered), every stored file holds exactly the text of
 *    a version we wrote (its chunks concatenate to it: never half a file), and the next run never re-chunks
 *    a file that was committed at its current content. A last uninterrupted run reports those files as reused.
 * 2. The database is damaged (truncated, bytes flipped in its pages), or a crash left a stale lock directory
 *    or a hot journal: detected on open or load with a reason, and the index is rebuilt, or the committed
 *    data reused when it is whole.
 *
 * The child script is bundled once with esbuild and run with plain `node`: `node --import tsx` costs
 * about 2 s of start-up per process here, which 21 processes cannot afford in CI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { indexRepository, type IndexSummary } from '../../../src/node/indexer/repositoryIndexer.ts';
import { DEFAULT_CHUNK_TOKENS, builtInEncoder, expectationFor, storeDirFor } from '../../../src/node/indexer/indexSettings.ts';
import { openSearchIndex } from '../../../src/node/indexer/searchIndex.ts';
import { DATABASE_FILE } from '../../../src/node/store/indexManifest.ts';
import { IndexStore } from '../../../src/node/store/indexStore.ts';
import { TilingChunker } from './tilingChunker.ts';
import { tempDirMaker } from './tempDirs.ts';
import { createRng } from '../../../src/common/random.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SQLITE = createRequire(import.meta.url).resolve('node-sqlite3-wasm');
const SEED = 0x5eed_0007;
const FILE_COUNT = 150;
const KILLS = 20;
const CHECKPOINT_FILES = 6;

const mkTemp = tempDirMaker();

/** Seeded (mulberry32), so every run plans the same moments. */
const rng = createRng;

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

class Corpus {
  readonly root: string;
  /** Every version of every file ever written, by sha256. */
  readonly versions = new Map<string, string>();
  readonly current = new Map<string, string>();
  private readonly random: () => number;

  constructor(root: string, random: () => number) {
    this.root = root;
    this.random = random;
  }

  write(rel: string, text: string): void {
    const file = path.join(this.root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    this.versions.set(sha(text), text);
    this.current.set(rel, text);
  }

  randomText(tag: string): string {
    const lines = 4 + Math.floor(this.random() * 40);
    let text = '';
    for (let i = 0; i < lines; i++) text += `export const ${tag}_${i} = ${Math.floor(this.random() * 1e9)}; // ${'x'.repeat(Math.floor(this.random() * 60))}\n`;
    return text;
  }

  pick(): string {
    const paths = [...this.current.keys()];
    return paths[Math.floor(this.random() * paths.length)] as string;
  }
}

function makeCorpus(random: () => number, files: number): Corpus {
  const corpus = new Corpus(mkTemp('squeeze-crash-'), random);
  for (let i = 0; i < files; i++) corpus.write(`pkg${i % 12}/mod${i}.ts`, corpus.randomText(`v${i}`));
  return corpus;
}

async function bundleChild(): Promise<string> {
  const out = path.join(mkTemp('squeeze-crash-child-'), 'indexChild.mjs');
  await esbuild.build({
    entryPoints: [path.join(HERE, 'indexChild.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm',
    target: 'node20', logLevel: 'silent',
    // node-sqlite3-wasm reads its wasm from `__dirname`: give the ES module one, and the wasm beside it
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; " +
        "const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = require('node:path').dirname(__filename);",
    },
  });
  fs.copyFileSync(path.join(path.dirname(SQLITE), 'node-sqlite3-wasm.wasm'), path.join(path.dirname(out), 'node-sqlite3-wasm.wasm'));
  return out;
}

interface ChildRun {
  /** Paths the child chunked, in order. */
  chunked: string[];
  summary: IndexSummary | undefined;
  killed: boolean;
  /** Milliseconds from `ready` to exit. */
  ms: number;
}

/** Runs the child; when `killAfterMs` is set, SIGKILLs it that long after it said `ready`. */
function runChild(script: string, root: string, indexDir: string, killAfterMs?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, root, indexDir, String(CHECKPOINT_FILES)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let readyAt = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (readyAt === 0 && out.startsWith('ready\n')) {
        readyAt = performance.now();
        if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - readyAt;
      const lines = out.split('\n');
      const chunked = lines.filter((l) => l.startsWith('chunk ')).map((l) => l.slice(6));
      const s = lines.find((l) => l.startsWith('summary '));
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${err}`));
      else resolve({ chunked, summary: s ? (JSON.parse(s.slice(8)) as IndexSummary) : undefined, killed: signal === 'SIGKILL', ms });
    });
  });
}

const EXPECT = expectationFor(builtInEncoder(), DEFAULT_CHUNK_TOKENS);

/**
 * Opens the store as a reader would (fully checked: quick_check and every row's checksum) and checks that
 * every stored file is whole: its chunks concatenate to a version of the file we wrote, the one its stored
 * hash names. Returns the files stored at their current content.
 */
async function checkStore(corpus: Corpus, indexDir: string): Promise<{ committed: Set<string>; complete: boolean }> {
  const store = await IndexStore.open(storeDirFor(corpus.root, indexDir), { ...EXPECT, verifyChecksums: true });
  try {
    assert.equal(store.rebuildReason, undefined, 'a killed run never leaves an index that needs a rebuild');
    const committed = new Set<string>();
    if (!store.manifest) return { committed, complete: false };
    const loaded = await store.load();
    let at = 0;
    for (const f of loaded.manifest.files) {
      assert.equal(f.skip, undefined, f.path);
      const text = loaded.chunks.slice(at, at + f.count).map((c) => c.text).join('');
      at += f.count;
      const version = corpus.versions.get(f.hash);
      assert.ok(version !== undefined, `${f.path}: stored hash names no version we wrote`);
      assert.equal(text, version, `${f.path}: stored chunks are not the whole file`);
      if (corpus.current.get(f.path) === text) committed.add(f.path);
    }
    assert.equal(at, loaded.chunks.length);
    return { committed, complete: loaded.manifest.complete };
  } finally {
    store.close();
  }
}

test('SIGKILL at 20 seeded random moments: the store opens, files are whole or absent, the next run resumes', { timeout: 120_000 }, async (t) => {
  const random = rng(SEED);
  const script = await bundleChild();
  // Calibrate on a copy: how long a full run takes on this machine, so the kills land inside runs.
  const calibration = makeCorpus(rng(SEED + 1), FILE_COUNT);
  const full = await runChild(script, calibration.root, path.join(calibration.root, '..', `${path.basename(calibration.root)}-index`));
  assert.equal(full.summary?.files, FILE_COUNT);
  const msPerFile = full.ms / FILE_COUNT;

  const corpus = makeCorpus(random, FILE_COUNT);
  const indexDir = `${corpus.root}-index`;
  let state = await checkStore(corpus, indexDir);
  let killedMidRun = 0;
  let leftLock = 0;
  let leftJournal = 0;
  const db = path.join(storeDirFor(corpus.root, indexDir), DATABASE_FILE);
  let chunkCalls = 0;
  for (let round = 0; round < KILLS; round++) {
    // Edit a few files between runs (appending changes the size, so the scanner rehashes them).
    if (round > 0) {
      for (let e = Math.floor(random() * 3); e > 0; e--) {
        const p = corpus.pick();
        corpus.write(p, corpus.current.get(p) + `export const edit${round}_${e} = ${round};\n`);
      }
      if (random() < 0.3) corpus.write(`added/r${round}.ts`, corpus.randomText(`added${round}`));
      state = await checkStore(corpus, indexDir);
    }
    const remaining = corpus.current.size - state.committed.size;
    const delay = Math.floor(random() * (remaining + 2) * msPerFile * 1.2);
    const run = await runChild(script, corpus.root, indexDir, delay);
    chunkCalls += run.chunked.length;
    if (run.killed && run.summary === undefined) killedMidRun++;
    if (fs.existsSync(`${db}.lock`)) leftLock++;
    if (fs.existsSync(`${db}-journal`)) leftJournal++;
    const redone = run.chunked.filter((p) => state.committed.has(p));
    assert.deepEqual(redone, [], `round ${round}: files committed at their current content were chunked again`);
    const after = await checkStore(corpus, indexDir);
    // A kill loses at most the batch being collected, the file being chunked and the read-ahead.
    const lost = run.chunked.filter((p) => !after.committed.has(p) && corpus.current.has(p)).length;
    assert.ok(lost <= CHECKPOINT_FILES + 1, `round ${round}: ${lost} chunked files were not committed`);
    state = after;
  }
  const finish = await runChild(script, corpus.root, indexDir);
  assert.ok(finish.summary, 'an uninterrupted run finishes');
  assert.deepEqual(finish.chunked.filter((p) => state.committed.has(p)), []);
  assert.equal(finish.summary.reused, state.committed.size, 'every committed file is reused');
  assert.equal(finish.summary.rechunked, corpus.current.size - state.committed.size);
  assert.equal(finish.summary.files, corpus.current.size);
  const end = await checkStore(corpus, indexDir);
  assert.equal(end.committed.size, corpus.current.size);
  assert.equal(end.complete, true);
  // Most kills must have landed inside a run, or the test proves little (the delays are calibrated above).
  assert.ok(killedMidRun >= KILLS / 4, `only ${killedMidRun} of ${KILLS} kills interrupted a run`);
  t.diagnostic(`full run ${Math.round(full.ms)} ms; ${killedMidRun}/${KILLS} kills inside a run, ${leftLock} inside a transaction (lock directory left), ${leftJournal} with a hot journal; ${chunkCalls} chunk calls for ${corpus.current.size} files`);
  assert.ok(chunkCalls < corpus.current.size + KILLS * (CHECKPOINT_FILES + 1), `chunked ${chunkCalls} times in total`);
});

// ---------------------------------------------------------------------------------------------------
// Damage and leftovers of crashes


async function indexedCorpus(seed: number, files = 40) {
  const corpus = makeCorpus(rng(seed), files);
  const indexDir = `${corpus.root}-index`;
  const chunked: string[] = [];
  const opts = { indexDir, chunker: new TilingChunker((p) => chunked.push(p)), checkpointFiles: 10 };
  // Checkpoints every 10 files: several generations.
  const first = await indexRepository(corpus.root, opts);
  assert.equal(first.files, files);
  const storeDir = storeDirFor(corpus.root, indexDir);
  const db = path.join(storeDir, DATABASE_FILE);
  assert.ok((await rawGeneration(db)) >= 4, 'one commit per checkpoint');
  chunked.length = 0;
  return { corpus, indexDir, storeDir, db, opts, chunked };
}

async function rawGeneration(db: string): Promise<number> {
  const { Database } = (await import('node-sqlite3-wasm')).default;
  const conn = new Database(db, { fileMustExist: true });
  try {
    return Number(conn.get("SELECT value FROM meta WHERE key = 'generation'")?.value);
  } finally {
    conn.close();
  }
}

async function assertWholeIndex(corpus: Corpus, indexDir: string): Promise<void> {
  const state = await checkStore(corpus, indexDir);
  assert.equal(state.committed.size, corpus.current.size);
  assert.equal(state.complete, true);
  const index = await openSearchIndex(corpus.root, { indexDir });
  assert.ok(index.chunks.length > 0);
}

test('the database truncated: detected on open, rebuilt from the repository, nothing missing after', async () => {
  const { corpus, indexDir, db, opts, chunked } = await indexedCorpus(11);
  fs.truncateSync(db, Math.floor(fs.statSync(db).size * 0.6));
  await assert.rejects(openSearchIndex(corpus.root, { indexDir }), /no usable index: stored data is damaged: .*index\.sqlite: database disk image is malformed/);
  const s = await indexRepository(corpus.root, opts);
  assert.match(s.rebuildReason ?? '', /stored data is damaged: .*malformed/);
  assert.equal(s.files, corpus.current.size);
  assert.equal(chunked.length, corpus.current.size, 'the whole index is rebuilt');
  await assertWholeIndex(corpus, indexDir);
});

test('bytes flipped across the pages: search refuses it, the next run finds it and rebuilds', async () => {
  const { corpus, indexDir, db, opts, chunked } = await indexedCorpus(12);
  const bytes = fs.readFileSync(db);
  for (let i = 16384; i < bytes.length; i += 997) bytes[i] = (bytes[i] as number) ^ 0xff;
  fs.writeFileSync(db, bytes);
  await assert.rejects(openSearchIndex(corpus.root, { indexDir }), /no usable index: stored data is damaged/);
  const s = await indexRepository(corpus.root, opts);
  assert.match(s.rebuildReason ?? '', /stored data is damaged/);
  assert.equal(chunked.length, corpus.current.size);
  await assertWholeIndex(corpus, indexDir);
  assert.ok(!fs.existsSync(`${db}.damaged`));
});

test('a flipped byte inside a chunk (the pages stay valid): caught by its checksum, by search and by a verifying run', async () => {
  const { corpus, indexDir, db, opts } = await indexedCorpus(13);
  const bytes = fs.readFileSync(db);
  const needle = 'export const v7_1 =';
  let flipped = 0;
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1), flipped++) bytes[at + 7] = (bytes[at + 7] as number) ^ 0x01;
  assert.ok(flipped > 0);
  fs.writeFileSync(db, bytes);
  await assert.rejects(openSearchIndex(corpus.root, { indexDir }), /stored data is damaged: a chunk of pkg7\/mod7\.ts does not match its checksum/);
  fs.rmSync(`${db}.damaged`);
  const s = await indexRepository(corpus.root, { ...opts, verifyChecksums: true });
  assert.match(s.rebuildReason ?? '', /does not match its checksum/);
  await assertWholeIndex(corpus, indexDir);
});

test('a stale lock directory and a dead writer\'s pid lock: taken over, the committed index reused', async () => {
  const { corpus, indexDir, storeDir, db, opts, chunked } = await indexedCorpus(30);
  fs.mkdirSync(`${db}.lock`);
  fs.writeFileSync(path.join(storeDir, 'lock'), '2147483646');
  await assertWholeIndex(corpus, indexDir); // readers recover it too (no live writer)
  fs.mkdirSync(`${db}.lock`);
  const p = corpus.pick();
  corpus.write(p, `${corpus.current.get(p)}// edited\n`);
  const s = await indexRepository(corpus.root, opts);
  assert.equal(s.rebuildReason, undefined);
  assert.deepEqual(chunked, [p], 'only the edited file is chunked; finished work is kept');
  assert.equal(s.reused, corpus.current.size - 1);
  assert.deepEqual(fs.readdirSync(storeDir), [DATABASE_FILE]);
  await assertWholeIndex(corpus, indexDir);
});

test('a hot journal of a writer killed inside its commit: rolled back, the committed index reused', async () => {
  const { corpus, indexDir, storeDir, db, opts, chunked } = await indexedCorpus(31);
  const code = `const { Database } = require(${JSON.stringify(SQLITE)}); const db = new Database(process.argv[1]);
    db.exec('PRAGMA cache_size = 2; BEGIN IMMEDIATE'); db.run("UPDATE chunks SET record = randomblob(length(record))");
    db.run("DELETE FROM files WHERE path LIKE 'pkg1%'"); process.stdout.write('inside\\n'); setInterval(() => {}, 1000);`;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', code, db], { stdio: ['ignore', 'pipe', 'inherit'] });
    fs.writeFileSync(path.join(storeDir, 'lock'), String(child.pid));
    child.stdout.on('data', () => child.kill('SIGKILL'));
    child.on('close', (_c, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error('the child ended by itself'))));
  });
  assert.ok(fs.existsSync(`${db}-journal`), 'the kill left a hot journal');
  const s = await indexRepository(corpus.root, opts);
  assert.equal(s.rebuildReason, undefined);
  assert.deepEqual(chunked, [], 'nothing is chunked again: the journal restored the committed index');
  assert.equal(s.reused, corpus.current.size);
  assert.deepEqual(fs.readdirSync(storeDir), [DATABASE_FILE]);
  await assertWholeIndex(corpus, indexDir);
});
