// End to end: spawns the CLI through tsx on a temporary copy of the sample repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempDirMaker } from '../reliability/tempDirs.ts';

const MAIN = path.resolve('src/cli/main.ts');
const mkTemp = tempDirMaker();

function squeeze(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function sampleCopy(): string {
  const dir = mkTemp('squeeze-cli-');
  fs.cpSync(path.resolve('test/fixtures/sample-repo'), dir, { recursive: true });
  return dir;
}

test('index, then search finds the right file in the top 3 (text and JSON)', () => {
  const repo = sampleCopy();
  const index = squeeze('index', repo);
  assert.equal(index.code, 0, index.stderr);
  assert.match(index.stdout, /chunks\s+\d+/);
  assert.match(index.stdout, /may contain secrets/);
  assert.ok(fs.existsSync(path.join(repo, '.squeeze/index-v2/index.sqlite')));
  const again = squeeze('index', repo, '--json');
  assert.equal(again.code, 0, again.stderr);
  const summary = JSON.parse(again.stdout);
  assert.equal(summary.rechunked, 0);
  assert.equal(summary.committed, false);

  const text = squeeze('search', repo, 'refund a payment in the ledger', '-k', '3');
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.trim().split('\n');
  assert.equal(lines.length, 3);
  for (const line of lines) assert.match(line, /^\S+:\d+-\d+\s+\d\.\d{3}(\s+.*)?$/);
  assert.ok(lines.some((l) => l.startsWith('ledger/src/lib.rs:')), text.stdout);

  const json = squeeze('search', repo, 'validate the ISBN checksum', '--top', '3', '--json');
  assert.equal(json.code, 0, json.stderr);
  const hits = JSON.parse(json.stdout) as { path: string; score: number }[];
  assert.ok(hits.slice(0, 3).some((h) => h.path === 'web/src/catalog/book.ts'), json.stdout);
  assert.ok(hits[0]!.score >= hits[hits.length - 1]!.score);
});

test('search on a folder without an index indexes it first and says so', () => {
  const repo = sampleCopy();
  const r = squeeze('search', repo, 'reserve stock for an order', '-k', '3', '--index-dir', path.join(repo, 'idx'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /indexing it first/);
  assert.ok(r.stdout.split('\n').slice(0, 3).some((l) => l.startsWith('orders/')), r.stdout);
});

test('a bad flag or an unknown command exits 2 with a clear message; a failure exits 1 without a stack', () => {
  const bad = squeeze('index', '.', '--no-such-flag');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--no-such-flag/);
  assert.match(bad.stderr, /Usage: squeeze index/);
  const unknown = squeeze('frobnicate');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  const badNumber = squeeze('search', '.', 'x', '-k', 'zero');
  assert.equal(badNumber.code, 2);
  assert.match(badNumber.stderr, /-k\/--top must be a whole number/);
  const missing = squeeze('index', path.join(os.tmpdir(), 'squeeze-no-such-dir-42'));
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  assert.match(missing.stderr, /folder not found: .*squeeze-no-such-dir-42/);
});

test('demo indexes the sample repository and answers its questions from the right files', () => {
  const r = squeeze('demo');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /may contain secrets/);
  const answers = r.stdout.split('\n? ').slice(1);
  assert.equal(answers.length, 5);
  const expected = ['web/src/cart/cart.ts', 'orders/inventory.go', 'ledger/src/lib.rs', 'web/src/catalog/book.ts', 'recommendations/recommender.py'];
  answers.forEach((a, i) => assert.match(a.split('\n')[1] ?? '', new RegExp(`^  ${expected[i]}:`), a));
});
