// `--encoder DIR`: the index stores the ONNX encoder's vectors (its id in the store), search encodes the query
// with the same model; an index built with one encoder is never misread: search with the other refuses and
// says which flag reads it, `index` with the other rebuilds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDirMaker } from '../reliability/tempDirs.ts';

const MAIN = path.resolve('src/cli/main.ts');
const ENCODER = path.resolve('test/models/tiny-encoder');
const mkTemp = tempDirMaker();

function squeeze(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('index and search with --encoder use the ONNX encoder; search without it refuses, index without it rebuilds', () => {
  const repo = mkTemp('squeeze-cli-enc-');
  fs.cpSync(path.resolve('test/fixtures/sample-repo'), repo, { recursive: true });
  const built = squeeze('index', repo, '--encoder', ENCODER, '--json');
  assert.equal(built.code, 0, built.stderr);
  assert.ok(JSON.parse(built.stdout).chunks > 10);
  const again = squeeze('index', repo, '--encoder', ENCODER, '--json');
  assert.equal(JSON.parse(again.stdout).rechunked, 0, 'same encoder: nothing to redo');

  const hits = squeeze('search', repo, 'refund a payment in the ledger', '--encoder', ENCODER, '--json', '-k', '5');
  assert.equal(hits.code, 0, hits.stderr);
  assert.doesNotMatch(hits.stderr, /indexing it first/, 'the dense index was used as it is');
  const parsed = JSON.parse(hits.stdout) as { path: string; score: number }[];
  assert.equal(parsed.length, 5);
  for (const h of parsed) assert.ok(h.score > -1.0001 && h.score < 1.0001, `cosine of unit vectors: ${h.score}`);

  const hashed = squeeze('search', repo, 'refund a payment in the ledger', '--json', '-k', '3');
  assert.equal(hashed.code, 1, 'search without the encoder refuses instead of rebuilding');
  assert.match(hashed.stderr, /was built with encoder onnx.*pass --encoder/s, hashed.stderr);
  assert.doesNotMatch(hashed.stderr, /will be rebuilt|indexing it first/);
  const kept = squeeze('search', repo, 'refund a payment in the ledger', '--encoder', ENCODER, '--json', '-k', '1');
  assert.doesNotMatch(kept.stderr, /indexing it first/, 'the dense index is still there');
  const contextRefused = squeeze('context', 'ledger/src/lib.rs:3:1', '--dir', repo, '--json');
  assert.equal(contextRefused.code, 1, 'context without the encoder refuses too');
  assert.match(contextRefused.stderr, /pass --encoder/);
  const context = squeeze('context', 'ledger/src/lib.rs:3:1', '--dir', repo, '--encoder', ENCODER, '--json');
  assert.equal(context.code, 0, context.stderr);
  assert.doesNotMatch(context.stderr, /indexing it first/, 'context reads the dense index with --encoder');
  assert.ok(JSON.parse(context.stdout), 'context printed its JSON');

  const rebuilt = squeeze('index', repo, '--json');
  assert.equal(rebuilt.code, 0, rebuilt.stderr);
  assert.ok(JSON.parse(rebuilt.stdout).rechunked > 0, 'index with the other encoder rebuilds');
  const viaHashed = squeeze('search', repo, 'refund a payment in the ledger', '--json', '-k', '3');
  assert.equal(viaHashed.code, 0, viaHashed.stderr);
  assert.ok((JSON.parse(viaHashed.stdout) as { path: string }[]).some((h) => h.path === 'ledger/src/lib.rs'), viaHashed.stdout);

  const missing = squeeze('index', repo, '--encoder', path.join(repo, 'no-such-model'));
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /no-such-model/, 'the error names the folder');
});
