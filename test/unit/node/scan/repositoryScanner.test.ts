import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CancellationTokenSource, isCancellationError } from '../../../../src/common/cancellation.ts';
import { MemoryLogger } from '../../../../src/common/log.ts';
import type { ScannedFile } from '../../../../src/common/scan/scannedFile.ts';
import { scanRepository, type ScanOptions, type ScanResult } from '../../../../src/node/scan/repositoryScanner.ts';
import { MAX_FILE_BYTES, makeFixture, probeFs, type Fixture } from './scanFixture.ts';

const INDEXED = [
  '.gitignore', '.squeezeignore', 'a/file.ts', 'config/settings.json', 'dist/bundle.js', 'keep.log',
  'pkg/.gitignore', 'pkg/.squeezeignore', 'pkg/main.ts', 'pkg/special.log', 'src/alias.ts',
  'src/ignored-dir', 'src/index.ts', 'src/rootonly.txt', 'src/util.ts', 'utf16.txt',
];

const SKIPPED: Record<string, string> = {
  '.env': 'SECRET', '.git/': 'BUILT_IN_EXCLUDE', 'a/loop/': 'SYMLINK_LOOP', 'a/outside/': 'SYMLINK_OUTSIDE',
  'a/outside-file': 'SYMLINK_OUTSIDE', 'a/self': 'SYMLINK_LOOP', 'api/service.pb.go': 'GENERATED',
  'app.log': 'IGNORED', 'big.txt': 'TOO_LARGE', 'config/.env.production': 'SECRET', dangling: 'UNREADABLE',
  'denied.txt': 'UNREADABLE', 'from-info.txt': 'IGNORED', 'gone-on-read.ts': 'VANISHED', id_rsa: 'SECRET',
  'ignored-dir/': 'IGNORED', 'latin1.txt': 'NOT_TEXT', 'locked/': 'UNREADABLE', 'logo.png': 'BINARY',
  'node_modules/': 'BUILT_IN_EXCLUDE', 'package-lock.json': 'LOCK_FILE', 'pkg/a.tmp': 'IGNORED',
  'pkg/local-only.ts': 'IGNORED', 'pkg/other.log': 'IGNORED', 'rootonly.txt': 'IGNORED', 'squeezed/': 'IGNORED',
  'src/aws.ts': 'SECRET', 'src/binary.ts': 'BINARY', 'src/gen.ts': 'GENERATED', 'src/packed.js': 'MINIFIED',
  'src/sneaky.txt': 'SECRET', 'static/app.min.js': 'MINIFIED', 'vanish.ts': 'VANISHED',
};

const IGNORE_FILES = ['.git/info/exclude', '.gitignore', '.squeezeignore', 'pkg/.gitignore', 'pkg/.squeezeignore'];
/** Files read only to be rejected by their content (or by an injected failure). */
const READ_THEN_SKIPPED = ['denied.txt', 'gone-on-read.ts', 'latin1.txt', 'src/aws.ts', 'src/binary.ts', 'src/gen.ts', 'src/packed.js'];

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const unique = (xs: readonly string[]) => [...new Set(xs)].sort();
const byPath = (files: readonly ScannedFile[]) => new Map(files.map((f) => [f.path, f]));

async function withFixture(run: (fx: Fixture) => Promise<void>): Promise<void> {
  const fx = makeFixture();
  try {
    await run(fx);
  } finally {
    fx.dispose();
  }
}

function scan(fx: Fixture, options: ScanOptions): Promise<ScanResult> {
  return scanRepository(fx.root, { maxFileBytes: MAX_FILE_BYTES, ...options });
}

test('first scan: exact indexed files, every skip reason, nothing secret or skipped by name is read', () =>
  withFixture(async (fx) => {
    const probe = probeFs(fx.root);
    const logger = new MemoryLogger();
    const progress: string[] = [];
    const result = await scan(fx, {
      fs: probe.fs,
      logger,
      onProgress: (p) => {
        progress.push(p.path);
        assert.equal(p.seen, progress.length);
        if (p.path === 'vanish.ts') rmSync(path.join(fx.root, 'vanish.ts'));
      },
    });
    assert.deepEqual(result.files.map((f) => f.path), INDEXED);
    const expectedSkips = { ...SKIPPED, ...(fx.hasFifo ? { pipe: 'UNREADABLE' } : {}) };
    assert.deepEqual(Object.fromEntries(result.skipped.map((s) => [s.path, s.reason])), expectedSkips);
    assert.deepEqual(result.skipped.map((s) => s.path), Object.keys(expectedSkips).sort(), 'skips sorted by path');
    assert.deepEqual(result.rehashed, INDEXED);
    assert.deepEqual(unique(probe.reads), unique([...IGNORE_FILES, ...INDEXED, ...READ_THEN_SKIPPED]));
    const index = byPath(result.files);
    assert.equal(index.get('src/index.ts')?.hash, sha256(readFileSync(path.join(fx.root, 'src/index.ts'))));
    assert.equal(index.get('src/alias.ts')?.hash, index.get('src/index.ts')?.hash, 'a file link is followed');
    assert.ok(progress.includes('src/index.ts') && !progress.some((p) => p.startsWith('node_modules/')));
    for (const s of result.skipped) {
      const lines = logger.entries.filter((e) => e.message.startsWith(`[scan] skip ${s.path}: `));
      assert.equal(lines.length, 1, `${s.path} logged once`);
      assert.equal(lines[0]?.level, 'debug');
      assert.ok(lines[0]?.message.includes(s.reason));
    }
    assert.ok(logger.entries.some((e) => e.level === 'info' && e.message.includes(`indexed ${INDEXED.length} files`)));
  }));

test('rescan with previous: unchanged files are only stat-ed; exactly the modified file is rehashed', () =>
  withFixture(async (fx) => {
    const first = await scan(fx, { fs: probeFs(fx.root).fs });
    const unchanged = probeFs(fx.root);
    const second = await scan(fx, { fs: unchanged.fs, previous: byPath(first.files) });
    assert.deepEqual(second.files, first.files);
    assert.deepEqual(second.rehashed, []);
    // Ignore files are read for their rules on every scan, never for hashing.
    assert.deepEqual(unchanged.reads.filter((r) => INDEXED.includes(r) && !IGNORE_FILES.includes(r)), []);
    assert.ok(unchanged.reads.every((r) => IGNORE_FILES.includes(r) || READ_THEN_SKIPPED.includes(r)), unchanged.reads.join());

    const util = path.join(fx.root, 'src/util.ts');
    writeFileSync(util, 'export const thrice = (x: number): number => x * 3;\n');
    utimesSync(util, new Date(), new Date(Date.now() + 5_000));
    const changed = probeFs(fx.root);
    const third = await scan(fx, { fs: changed.fs, previous: byPath(second.files) });
    assert.deepEqual(third.rehashed, ['src/util.ts']);
    assert.deepEqual(changed.reads.filter((r) => INDEXED.includes(r) && !IGNORE_FILES.includes(r)), ['src/util.ts']);
    const before = byPath(second.files);
    for (const f of third.files) {
      if (f.path === 'src/util.ts') assert.equal(f.hash, sha256(readFileSync(util)));
      else assert.deepEqual(f, before.get(f.path));
    }
  }));

test('cancellation: the scan stops with CancellationError and leaves no read running', () =>
  withFixture(async (fx) => {
    const source = new CancellationTokenSource();
    const probe = probeFs(fx.root);
    let readsAtCancel = -1;
    const scanning = scan(fx, {
      fs: probe.fs,
      token: source.token,
      onProgress: (p) => {
        if (p.seen !== 3) return;
        source.cancel();
        readsAtCancel = probe.reads.length;
      },
    });
    await assert.rejects(scanning, (e) => isCancellationError(e));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(readsAtCancel >= 0);
    assert.equal(probe.reads.length, readsAtCancel, 'no read starts after the cancellation');
  }));

test('extraExcludes (files.exclude) take precedence over ignore files', () =>
  withFixture(async (fx) => {
    const result = await scan(fx, { fs: probeFs(fx.root).fs, extraExcludes: ['src/', '!src/index.ts', '*.json', 'keep.log'] });
    const skipped = Object.fromEntries(result.skipped.map((s) => [s.path, s.reason]));
    assert.equal(skipped['src/'], 'IGNORED');
    assert.equal(skipped['config/settings.json'], 'IGNORED');
    assert.equal(skipped['keep.log'], 'IGNORED', 'beats the !keep.log of .gitignore');
    assert.ok(!result.files.some((f) => f.path.startsWith('src/')), 'a file cannot be re-included under an ignored directory');
  }));

test('bounded read concurrency and output independent of it', async () => {
  const fx = makeFixture();
  try {
    for (let d = 0; d < 20; d++) {
      mkdirSync(path.join(fx.root, 'many', `d${d}`), { recursive: true });
      for (let f = 0; f < 15; f++) writeFileSync(path.join(fx.root, 'many', `d${d}`, `f${f}.ts`), `export const v = ${d * 100 + f};\n`);
    }
    rmSync(path.join(fx.root, 'vanish.ts'));
    const narrow = probeFs(fx.root);
    const one = await scan(fx, { fs: narrow.fs, readConcurrency: 3 });
    // The pool holds 3 file reads; the walker may read one ignore file beside them.
    assert.ok(narrow.peak.concurrentReads <= 3 + 1, `peak ${narrow.peak.concurrentReads}`);
    assert.equal(one.files.filter((f) => f.path.startsWith('many/')).length, 300);
    rmSync(path.join(fx.root, 'gone-on-read.ts'), { force: true });
    writeFileSync(path.join(fx.root, 'gone-on-read.ts'), 'back\n');
    const wide = probeFs(fx.root);
    const two = await scan(fx, { fs: wide.fs, readConcurrency: 32 });
    assert.ok(wide.peak.concurrentReads > 4, 'the wide pool runs reads in parallel');
    assert.deepEqual(two.files.map((f) => f.path), one.files.map((f) => f.path));
  } finally {
    fx.dispose();
  }
});

test('real permissions: chmod 000 gives UNREADABLE unless running as root', async (t) => {
  const fx = makeFixture();
  try {
    mkdirSync(path.join(fx.root, 'closed'));
    writeFileSync(path.join(fx.root, 'closed/inner.ts'), 'export {};\n');
    writeFileSync(path.join(fx.root, 'noperm.ts'), 'export {};\n');
    chmodSync(path.join(fx.root, 'noperm.ts'), 0o000);
    chmodSync(path.join(fx.root, 'closed'), 0o000);
    const result = await scan(fx, {});
    const skipped = Object.fromEntries(result.skipped.map((s) => [s.path, s]));
    if (process.getuid?.() === 0) {
      t.diagnostic('running as root: chmod 000 does not block reads; the injected EACCES in the first test covers UNREADABLE');
      assert.ok(result.files.some((f) => f.path === 'noperm.ts'));
    } else {
      assert.deepEqual(skipped['noperm.ts'], { path: 'noperm.ts', reason: 'UNREADABLE', detail: 'EACCES' });
      assert.equal(skipped['closed/']?.reason, 'UNREADABLE');
    }
  } finally {
    chmodSync(path.join(fx.root, 'closed'), 0o755);
    fx.dispose();
  }
});
