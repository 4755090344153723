// The centroid index through the real store: written at the end of an indexing run, read back by search
// without k-means, carried over (not rebuilt) after an edit. minChunks 0 forces it on the small sample repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { indexRepository } from '../../../../src/node/indexer/repositoryIndexer.ts';
import { openSearchIndex } from '../../../../src/node/indexer/searchIndex.ts';
import { centroidBlobs } from '../../../../src/node/indexer/centroidStore.ts';
import { IndexStore } from '../../../../src/node/store/indexStore.ts';
import { tempDirMaker } from '../../reliability/tempDirs.ts';

const mkTemp = tempDirMaker();
const centroids = { minChunks: 0 };
const how = (log: MemoryLogger): string[] => log.entries.map((e) => /centroid index (\w+)/.exec(e.message)?.[1] ?? '').filter(Boolean);

function sampleCopy(): string {
  const dir = mkTemp('squeeze-centroids-');
  fs.cpSync(path.resolve('test/fixtures/sample-repo'), dir, { recursive: true });
  return dir;
}

test('the indexer stores the centroids, search reads them back, and an edit carries them over', async (t) => {
  if (!centroidBlobs(IndexStore.prototype)) {
    t.skip('this store has no blob API');
    return;
  }
  const repo = sampleCopy();
  const indexLog = new MemoryLogger();
  await indexRepository(repo, { centroids, logger: indexLog });
  assert.deepEqual(how(indexLog), ['built']);

  const searchLog = new MemoryLogger();
  const index = await openSearchIndex(repo, { centroids, logger: searchLog });
  assert.deepEqual(how(searchLog), ['stored']);
  const { hits, explain } = await index.searchExplained('refund a payment in the ledger', 3);
  assert.equal(explain.mode, 'centroids');
  assert.ok(hits.length > 0 && hits.every((h) => h.cluster !== undefined && h.mass! > 0));

  fs.appendFileSync(path.join(repo, 'ledger/src/lib.rs'), '\npub fn audit_refund_trail() -> u32 { 42 }\n');
  const again = new MemoryLogger();
  await indexRepository(repo, { centroids, logger: again });
  assert.deepEqual(how(again), ['carried']);
  const reopened = new MemoryLogger();
  await openSearchIndex(repo, { centroids, logger: reopened });
  assert.deepEqual(how(reopened), ['stored']);
});
