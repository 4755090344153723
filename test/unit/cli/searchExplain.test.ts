// `squeeze search` through the centroid index (forced with --min-chunks 0 on the small sample repository):
// cluster and mass per hit, --explain per level, JSON, and the exact path below the threshold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCliCaptured } from '../support/captureOutput.ts';
import { tempDirMaker } from '../reliability/tempDirs.ts';

const run = runCliCaptured;

const mkTemp = tempDirMaker();
const repo = mkTemp('squeeze-cli-explain-');
fs.cpSync(path.resolve('test/fixtures/sample-repo'), repo, { recursive: true });

test('search shows cluster and mass per hit and --explain prints clusters, vectors and τ per level', async () => {
  assert.equal((await run('index', repo)).code, 0);
  const r = await run('search', repo, 'refund a payment in the ledger', '-k', '3', '--min-chunks', '0', '--explain');
  assert.equal(r.code, 0, r.stderr);
  const [hits, explain] = r.stdout.split('\n\n');
  const lines = hits!.trim().split('\n');
  assert.equal(lines.length, 3);
  for (const line of lines) assert.match(line, /^\S+:\d+-\d+\s+\d\.\d{3}\s+cluster \d+\/\d+\s+mass \d\.\d+(e-\d+)?(\s+.*)?$/);
  assert.ok(lines.some((l) => l.startsWith('ledger/src/lib.rs:')), r.stdout);
  const e = explain!.trim().split('\n');
  // Hashed rows of this small repository are sparse, so the lookup may read posting lists (exact) instead of the clusters.
  if (e[0]!.startsWith('explain: posting lists')) {
    assert.match(e[0]!, /^explain: posting lists over \d+ vectors \(exact; clusters only estimate mass\) in \d+\.\d+ ms$/);
    assert.match(e.splice(1, 1)[0]!, /^ {2}postings read \d+$/);
  } else assert.match(e[0]!, /^explain: centroid lookup over \d+ vectors \(T 0\.05\) in \d+\.\d+ ms$/);
  assert.match(e[1]!, /^ {2}coarse {2}clusters \d+, scored \d+, kept \d+ {2}τ \S+( \(keep all\))?$/);
  assert.match(e[2]!, /^ {2}fine {4}clusters \d+, scored \d+, kept \d+ {2}τ \S+( \(keep all\))?$/);
  assert.match(e[3]!, /^ {2}vectors {2}scored \d+ of \d+ \(\d+\.\d{2}%\), centroids scored \d+$/);
});

test('--json --explain gives hits with cluster and mass plus the explain object; the default stays exact here', async () => {
  const r = await run('search', repo, 'validate the ISBN checksum', '-k', '2', '--min-chunks', '0', '--json', '--explain');
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { hits: { cluster: { coarse: number; fine: number }; mass: number }[]; explain: Record<string, unknown> };
  assert.equal(doc.hits.length, 2);
  for (const h of doc.hits) assert.ok(Number.isInteger(h.cluster.fine) && h.mass > 0 && h.mass <= 1);
  assert.equal(doc.explain.mode, 'centroids');
  const e = doc.explain as { vectors: number; vectorsScored: number; fractionScored: number; fine: { kept: number; scored: number } };
  assert.ok(e.vectorsScored <= e.vectors && Math.abs(e.fractionScored - e.vectorsScored / e.vectors) < 1e-12 && e.fine.kept <= e.fine.scored);

  const exact = await run('search', repo, 'validate the ISBN checksum', '-k', '2', '--explain');
  assert.equal(exact.code, 0, exact.stderr);
  assert.doesNotMatch(exact.stdout, /cluster/);
  assert.match(exact.stdout, /explain: exact search over (\d+) vectors \(\1 chunks, below 2000\)/);
  assert.match(exact.stdout, /vectors {2}scored (\d+) of \1 \(100\.00%\)/);
});

test('the help names the cluster columns and the new options', async () => {
  const help = (await run('search', '--help')).stdout;
  for (const word of ['cluster C/F', 'mass M', '--explain', '--exact', '--min-chunks']) assert.ok(help.includes(word), word);
});
