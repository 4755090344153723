import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { IgnoreRules } from '../../../../src/node/scan/ignoreRules.ts';
import type { ScanFileSystem } from '../../../../src/node/scan/scanFileSystem.ts';

const ROOT = path.resolve('/repo');

/** A file system holding only the given ignore files (paths relative to ROOT). */
function memoryFs(files: Record<string, string>, failing: Record<string, string> = {}): ScanFileSystem {
  const fail = (code: string) => Object.assign(new Error(code), { code });
  return {
    readdir: () => Promise.reject(fail('ENOTSUP')),
    stat: () => Promise.reject(fail('ENOTSUP')),
    realpath: (p) => Promise.resolve(p),
    async readFile(p) {
      const rel = path.relative(ROOT, p).split(path.sep).join('/');
      if (failing[rel] !== undefined) throw fail(failing[rel]);
      const text = files[rel];
      if (text === undefined) throw fail('ENOENT');
      return new TextEncoder().encode(text);
    },
  };
}

async function rulesFor(files: Record<string, string>, extraPatterns: string[] = []): Promise<IgnoreRules> {
  const rootNames = Object.keys(files).filter((f) => !f.includes('/'));
  return IgnoreRules.forRoot(ROOT, rootNames, { fs: memoryFs(files), extraPatterns, ignoreCase: false });
}

test('root .gitignore: globs, negation, directory-only and anchored patterns', async () => {
  const rules = await rulesFor({ '.gitignore': '# comment\n*.log\n!keep.log\nbuild/\n/top.txt\n' });
  assert.equal(rules.test('a.log', false), 'ignored');
  assert.equal(rules.test('src/deep/a.log', false), 'ignored');
  assert.equal(rules.test('keep.log', false), 'unignored');
  assert.equal(rules.test('build', true), 'ignored');
  assert.equal(rules.test('src/build', true), 'ignored');
  assert.equal(rules.test('build', false), 'none', 'a file named build is not matched by build/');
  assert.equal(rules.test('top.txt', false), 'ignored');
  assert.equal(rules.test('src/top.txt', false), 'none', 'anchored to the directory of the .gitignore');
  assert.equal(rules.test('src/index.ts', false), 'none');
});

test('nested .gitignore applies relative to its directory and overrides its parents', async () => {
  const files = { '.gitignore': '*.log\n', 'pkg/.gitignore': '/local.txt\n!special.log\n*.tmp\n' };
  const root = await rulesFor(files);
  const pkg = await root.withDirectory('pkg', ['.gitignore', 'local.txt']);
  assert.equal(pkg.test('pkg/local.txt', false), 'ignored');
  assert.equal(pkg.test('pkg/sub/local.txt', false), 'none');
  assert.equal(pkg.test('local.txt', false), 'none', 'rules of pkg do not reach the root');
  assert.equal(pkg.test('pkg/special.log', false), 'unignored', 'deeper negation beats the root rule');
  assert.equal(pkg.test('pkg/other.log', false), 'ignored', 'root rule still applies below');
  assert.equal(pkg.test('pkg/x.tmp', false), 'ignored');
  assert.equal(root.test('x.tmp', false), 'none');
  const plain = await pkg.withDirectory('pkg/sub', ['a.ts']);
  assert.equal(plain, pkg, 'a directory without ignore files adds no layer');
});

test('.git/info/exclude, .squeezeignore over .gitignore, extra patterns over everything', async () => {
  const files = {
    '.git/info/exclude': 'private/\n*.bak\n',
    '.gitignore': '!notes.bak\ngenerated/\n',
    '.squeezeignore': '!generated/\nfixtures/\n',
  };
  const rules = await rulesFor(files, ['**/*.snap', '!keep/**']);
  assert.equal(rules.test('private', true), 'ignored');
  assert.equal(rules.test('x.bak', false), 'ignored');
  assert.equal(rules.test('notes.bak', false), 'unignored', '.gitignore overrides info/exclude');
  assert.equal(rules.test('generated', true), 'unignored', '.squeezeignore re-includes what .gitignore ignores');
  assert.equal(rules.test('fixtures', true), 'ignored');
  assert.equal(rules.test('a/b/c.snap', false), 'ignored');
  assert.equal(rules.test('keep/fixtures', true), 'unignored', 'extra patterns win');
});

test('nested .squeezeignore and case sensitivity', async () => {
  const root = await rulesFor({ 'lib/.squeezeignore': 'Big.json\n' });
  const lib = await root.withDirectory('lib', ['.squeezeignore']);
  assert.equal(lib.test('lib/Big.json', false), 'ignored');
  assert.equal(lib.test('lib/big.json', false), 'none');
  const folded = await IgnoreRules.forRoot(ROOT, ['.gitignore'], { fs: memoryFs({ '.gitignore': 'Big.json\n' }), ignoreCase: true });
  assert.equal(folded.test('big.json', false), 'ignored');
});

test('an unreadable ignore file is logged and its rules are not applied', async () => {
  const logger = new MemoryLogger();
  const fs = memoryFs({}, { '.gitignore': 'EACCES' });
  const rules = await IgnoreRules.forRoot(ROOT, ['.gitignore'], { fs, logger });
  assert.equal(rules.test('anything.log', false), 'none');
  assert.ok(logger.entries.some((e) => e.level === 'warn' && e.message.includes('.gitignore') && e.message.includes('EACCES')));
});
