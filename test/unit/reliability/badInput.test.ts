/**
 * Hostile repository input (issue 7, item 1), generated in temp folders or served by an injected file
 * system: each case is indexed or skipped with its logged reason, the scan finishes, memory stays bounded.
 * Symlink loops, unreadable files and folders and files vanishing during the scan are covered in
 * test/unit/node/scan/repositoryScanner.test.ts; decoding itself in readTextFile.test.ts.
 */
import { collectGarbage } from '../../bench/lib/processProbes.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MemoryLogger } from '../../../src/common/log.ts';
import { AstChunker } from '../../../src/node/chunk/astChunker.ts';
import { indexRepository } from '../../../src/node/indexer/repositoryIndexer.ts';
import { DEFAULT_CHUNK_TOKENS, builtInEncoder, expectationFor, storeDirFor } from '../../../src/node/indexer/indexSettings.ts';
import { scanRepository } from '../../../src/node/scan/repositoryScanner.ts';
import { NODE_SCAN_FS, type ScanDirEntry, type ScanFileSystem, type ScanStats } from '../../../src/node/scan/scanFileSystem.ts';
import { IndexStore } from '../../../src/node/store/indexStore.ts';
import { tempDirMaker } from './tempDirs.ts';

const MB = 1024 * 1024;

const mkTemp = tempDirMaker();

function tempRepo(files: Record<string, string | Uint8Array>): string {
  const root = mkTemp('squeeze-bad-');
  for (const [p, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), data);
  }
  return root;
}

/** The real file system, recording every file read. */
function countingFs(): ScanFileSystem & { reads: string[] } {
  const reads: string[] = [];
  return { ...NODE_SCAN_FS, reads, readFile: (p) => (reads.push(p), NODE_SCAN_FS.readFile(p)) };
}

function skipLogged(logger: MemoryLogger, p: string, reason: string): boolean {
  return logger.entries.some((e) => e.message.includes(`skip ${p}: ${reason}`));
}

const utf16be = (s: string) => {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1] as number, le[i] as number];
  return le;
};

const TS_TEXT = 'export function encodedFunction(x: number): number {\n  return x + 1; // café 😀\n}\n';

test('a 50 MB single-line file is skipped as TOO_LARGE by its size, never read; the rest of the repository is indexed', async () => {
  const root = tempRepo({ 'src/ok.ts': TS_TEXT });
  // A real 50 MB line of text, not a sparse file: the scanner could only tell by reading it.
  fs.writeFileSync(path.join(root, 'huge.ts'), Buffer.alloc(50 * MB, 'a'));
  const logger = new MemoryLogger();
  const probe = countingFs();
  const scan = await scanRepository(root, { logger, fs: probe });
  assert.deepEqual(scan.skipped, [{ path: 'huge.ts', reason: 'TOO_LARGE', detail: `${50 * MB} bytes` }]);
  assert.ok(skipLogged(logger, 'huge.ts', 'TOO_LARGE'));
  assert.deepEqual(probe.reads.filter((p) => p.endsWith('huge.ts')), [], 'the large file is never read');
  assert.deepEqual(scan.files.map((f) => f.path), ['src/ok.ts']);
});

test('minified bundle, binary .ts, invalid UTF-8 variants: skipped with their reasons; BOM-marked UTF-8/16 files are indexed as text', async () => {
  const bundle = `!function(e){var t={};function n(r){if(t[r])return t[r].exports;var o=t[r]={i:r,l:!1,exports:{}};return e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}}(${'[function(e,t){e.exports=1}],'.repeat(4000)}[]);`;
  const invalid: Record<string, number[]> = {
    'bad/lone-continuation.ts': [0x61, 0x80, 0x62],
    'bad/overlong-slash.ts': [0x61, 0xc0, 0xaf],
    'bad/truncated-at-end.ts': [0x61, 0xe2, 0x82],
    'bad/encoded-surrogate.ts': [0x61, 0xed, 0xa0, 0x80],
    'bad/ff-byte.ts': [0x61, 0xff, 0x62],
    'bad/latin1.ts': [...Buffer.from('const caf = "caf'), 0xe9, 0x22, 0x3b],
  };
  const root = tempRepo({
    'lib/vendor.js': bundle,
    'src/binary.ts': Buffer.from([0x65, 0x78, 0x70, 0x00, 0x01, 0x02, 0xff, 0x00, 0x10]),
    'src/utf8-bom.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TS_TEXT)]),
    'src/utf16le.ts': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TS_TEXT, 'utf16le')]),
    'src/utf16be.ts': Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TS_TEXT)]),
    ...Object.fromEntries(Object.entries(invalid).map(([p, b]) => [p, Buffer.from(b)])),
  });
  const logger = new MemoryLogger();
  const scan = await scanRepository(root, { logger });
  const reasons = Object.fromEntries(scan.skipped.map((s) => [s.path, s.reason]));
  assert.deepEqual(reasons, {
    'lib/vendor.js': 'MINIFIED', 'src/binary.ts': 'BINARY',
    ...Object.fromEntries(Object.keys(invalid).map((p) => [p, 'NOT_TEXT'])),
  });
  for (const [p, r] of Object.entries(reasons)) assert.ok(skipLogged(logger, p, r), `${p} is logged with ${r}`);
  assert.deepEqual(scan.files.map((f) => f.path), ['src/utf16be.ts', 'src/utf16le.ts', 'src/utf8-bom.ts']);

  // Through the indexer with the real chunker: the stored text is the decoded text, BOM stripped, and parsed.
  const indexDir = `${root}-index`;
  const summary = await indexRepository(root, { indexDir, logger });
  assert.equal(summary.files, 3);
  const store = await IndexStore.open(storeDirFor(root, indexDir), expectationFor(builtInEncoder(), DEFAULT_CHUNK_TOKENS));
  const loaded = await store.load();
  store.close();
  for (const p of ['src/utf16be.ts', 'src/utf16le.ts', 'src/utf8-bom.ts']) {
    const chunks = loaded.chunks.filter((c) => c.path === p);
    assert.equal(chunks.map((c) => c.text).join(''), TS_TEXT, p);
    assert.ok(chunks.some((c) => c.definitions.some((d) => d.name === 'encodedFunction')), `${p} is parsed by syntax`);
  }
});

test('10,000 nesting levels in a .ts file: the chunker finishes within 10 s and its chunks tile the text', async () => {
  const chunker = new AstChunker({ logger: new MemoryLogger() });
  try {
    for (const [name, text] of [
      ['brackets', `export const deep = ${'['.repeat(10_000)}${']'.repeat(10_000)};\n`],
      ['blocks', `export function f() ${'{'.repeat(10_000)}${'}'.repeat(10_000)}\n`],
      ['unclosed', `export const open = ${'('.repeat(10_000)}\n`],
    ] as const) {
      const started = performance.now();
      const chunks = await chunker.chunk(`${name}.ts`, text);
      const ms = performance.now() - started;
      assert.ok(ms < 10_000, `${name}: ${Math.round(ms)} ms`);
      assert.equal(chunks.map((c) => c.text).join(''), text, `${name}: chunks tile the file`);
    }
  } finally {
    chunker.dispose();
  }
});

test('a path near PATH_MAX (about 4,000 characters) is scanned and indexed', async () => {
  const root = mkTemp('squeeze-long-');
  const segments: string[] = [];
  while (path.join(root, ...segments).length < 3_800) segments.push(`d${segments.length}`.padEnd(200, 'x'));
  const rel = [...segments, 'leaf.ts'].join('/');
  fs.mkdirSync(path.join(root, ...segments), { recursive: true });
  fs.writeFileSync(path.join(root, rel), TS_TEXT);
  assert.ok(path.join(root, rel).length > 3_800 && path.join(root, rel).length < 4_096);
  const indexDir = `${root}-index`;
  const summary = await indexRepository(root, { indexDir });
  assert.equal(summary.files, 1);
  const store = await IndexStore.open(storeDirFor(root, indexDir), expectationFor(builtInEncoder(), DEFAULT_CHUNK_TOKENS));
  assert.deepEqual(store.manifest?.files.map((f) => f.path), [rel]);
  assert.deepEqual((await store.load()).chunks.map((c) => c.path), [rel], 'stored and read back under its full path');
  store.close();
});

test('a pathological .gitignore (5,000+ lines, **/**/**/*.bak, 2,000 negations, backtracking bait, a bare !): the scan finishes, rules hold', async () => {
  const lines = [
    '# generated',
    ...Array.from({ length: 3_000 }, (_, i) => `gen-${i}-*.tmp`),
    '**/**/**/*.bak',
    '**/a/**/b/**/c/**/*.x',
    ...Array.from({ length: 2_000 }, (_, i) => `!keep-${i}.bak`),
    // A pattern whose regular expression backtracks exponentially on long names without a `b`.
    `*${'a*'.repeat(14)}b`,
    '/[z-a]/', '\\', '!', '!**/important.bak',
  ];
  const files: Record<string, string> = { '.gitignore': lines.join('\n') };
  for (let i = 0; i < 100; i++) files[`d${i % 5}/e/f/keep-${i}.bak`] = `keep ${i}\n`;
  for (let i = 0; i < 100; i++) files[`d${i % 5}/drop-${i}.bak`] = `drop ${i}\n`;
  files[`src/${'a'.repeat(200)}.ts`] = TS_TEXT;
  files['src/gen-7-x.tmp'] = 'tmp\n';
  const root = tempRepo(files);
  const logger = new MemoryLogger();
  const started = performance.now();
  const scan = await scanRepository(root, { logger });
  const ms = performance.now() - started;
  assert.ok(ms < 15_000, `scan took ${Math.round(ms)} ms`);
  const indexed = new Set(scan.files.map((f) => f.path));
  for (let i = 0; i < 100; i++) assert.ok(indexed.has(`d${i % 5}/e/f/keep-${i}.bak`), `keep-${i} is re-included by its negation`);
  const ignored = new Set(scan.skipped.filter((s) => s.reason === 'IGNORED').map((s) => s.path));
  for (let i = 0; i < 100; i++) assert.ok(ignored.has(`d${i % 5}/drop-${i}.bak`), `drop-${i} is ignored`);
  assert.ok(ignored.has('src/gen-7-x.tmp'));
  assert.ok(indexed.has(`src/${'a'.repeat(200)}.ts`), 'the backtracking pattern does not match the long name');
  // Before the fix in ignoreRules.ts this scan did not finish in 5 minutes (exponential regex backtracking),
  // and the bare `!` line re-included every ignored file of the layer.
  assert.ok(logger.entries.some((e) => e.level === 'warn' && /ignore pattern "\*a\*a.*it is not applied/.test(e.message)));
});

// ---------------------------------------------------------------------------------------------------
// 200,000 tiny files through an injected file system

/** 200,000 take about 15 s here (168 B/file retained, peak heap +134 MB): too slow for every CI run. */
const TINY_FILES = 50_000;
const FILES_PER_DIR = 1_000;

/** A repository of `count` tiny files that exists only as a function of its paths. */
function syntheticFs(root: string, count: number): ScanFileSystem & { reads: number } {
  const dirs = Math.ceil(count / FILES_PER_DIR);
  const entry = (name: string, dir: boolean): ScanDirEntry => ({ name, isFile: () => !dir, isDirectory: () => dir, isSymbolicLink: () => false });
  const enoent = (p: string) => Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  const parse = (p: string) => path.relative(root, p).split(path.sep);
  const content = (p: string) => Buffer.from(`export const v = '${path.basename(p)}';\n`);
  const self = {
    reads: 0,
    readdir: async (p: string): Promise<ScanDirEntry[]> => {
      const parts = p === root ? [] : parse(p);
      if (parts.length === 0) return Array.from({ length: dirs }, (_, d) => entry(`pkg${d}`, true));
      const d = Number(parts[0]?.slice(3));
      if (parts.length !== 1 || !Number.isInteger(d)) throw enoent(p);
      const n = Math.min(FILES_PER_DIR, count - d * FILES_PER_DIR);
      return Array.from({ length: n }, (_, i) => entry(`f${i}.ts`, false));
    },
    stat: async (p: string): Promise<ScanStats> => {
      const parts = parse(p);
      const file = parts.length === 2;
      return { size: file ? content(p).length : 0, mtimeMs: 1_700_000_000_000, isFile: () => file, isDirectory: () => !file };
    },
    realpath: async (p: string) => p,
    readFile: async (p: string): Promise<Uint8Array> => {
      if (parse(p).length !== 2) throw enoent(p);
      self.reads++;
      return content(p);
    },
  };
  return self;
}


test(`${TINY_FILES.toLocaleString('en')} tiny files (injected fs): the scan finishes and retained heap stays under 400 bytes a file`, { timeout: 60_000 }, async (t) => {
  const root = path.resolve('/virtual-repo');
  const vfs = syntheticFs(root, TINY_FILES);
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  let peakHeap = heapBefore;
  const scan = await scanRepository(root, {
    fs: vfs,
    onProgress: (p) => {
      if (p.seen % 20_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    },
  });
  collectGarbage();
  const retained = process.memoryUsage().heapUsed - heapBefore;
  const rssGrowth = process.memoryUsage().rss - rssBefore;
  t.diagnostic(`retained heap ${(retained / MB).toFixed(1)} MB (${Math.round(retained / TINY_FILES)} B/file), peak heap +${((peakHeap - heapBefore) / MB).toFixed(1)} MB, RSS +${(rssGrowth / MB).toFixed(1)} MB`);
  assert.equal(scan.files.length, TINY_FILES);
  assert.equal(vfs.reads, TINY_FILES);
  assert.deepEqual(scan.skipped, []);
  // The result itself holds a path and a 64-character hash per file: about 250 bytes each.
  assert.ok(retained < TINY_FILES * 400, `retained ${retained} bytes`);
  assert.ok(peakHeap - heapBefore < 256 * MB, `peak heap growth ${peakHeap - heapBefore} bytes`);
});

test('5,000 tiny files on disk: all scanned; a rescan only stats them', { timeout: 60_000 }, async () => {
  const root = mkTemp('squeeze-tiny-');
  for (let d = 0; d < 5; d++) {
    fs.mkdirSync(path.join(root, `pkg${d}`));
    for (let i = 0; i < 1_000; i++) fs.writeFileSync(path.join(root, `pkg${d}`, `f${i}.ts`), `export const v${i} = ${d};\n`);
  }
  const probe = countingFs();
  const first = await scanRepository(root, { fs: probe });
  assert.equal(first.files.length, 5_000);
  const sources = () => probe.reads.filter((p) => p.endsWith('.ts')).length;
  assert.equal(sources(), 5_000);
  const again = await scanRepository(root, { fs: probe, previous: new Map(first.files.map((f) => [f.path, f])) });
  assert.deepEqual(again.files, first.files);
  assert.equal(sources(), 5_000, 'unchanged files are only stat-ed');
});
