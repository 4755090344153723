/**
 * Load and leaks (issue 7, item 5), reduced form of `npm run soak`: 800 inline-completion-like requests
 * through the vscode-free path with random cancellation, while files are edited and the repository is
 * reindexed (test/bench/lib/soakRun.ts). Asserts: no unhandled rejection, heap growth after warm-up under
 * 16 MB and RSS growth under 50 MB, and the same active handles and timers at the end as at the start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../../bench/lib/soakRun.ts';
import { TilingChunker } from './tilingChunker.ts';
import { tempDirMaker } from './tempDirs.ts';

const MB = 1024 * 1024;
const mkTemp = tempDirMaker();

test('soak: 800 completion requests with random cancellation, edits and reindexing; no leak', { timeout: 60_000 }, async (t) => {
  const r = await runSoak({ root: mkTemp('squeeze-soak-'), requests: 800, warmUp: 200, reindexEvery: 240, chunker: new TilingChunker() });
  t.diagnostic(`${r.completed} completed, ${r.cancelled} cancelled; heap +${(r.heapGrowthBytes / MB).toFixed(1)} MB, RSS +${(r.rssGrowthBytes / MB).toFixed(1)} MB after warm-up; resources ${JSON.stringify(r.resourcesBefore)} -> ${JSON.stringify(r.resourcesAfter)}`);
  assert.equal(r.completed + r.cancelled, r.requests);
  assert.ok(r.cancelled > r.requests / 10 && r.completed > r.requests / 3, 'both outcomes are exercised');
  assert.ok(r.reindexRuns >= 3);
  assert.equal(r.promptMismatches, 0);
  assert.deepEqual(r.unhandledRejections, []);
  assert.ok(r.heapGrowthBytes < 16 * MB, `heap grew ${r.heapGrowthBytes} bytes`);
  assert.ok(r.rssGrowthBytes < 50 * MB, `RSS grew ${r.rssGrowthBytes} bytes`);
  assert.deepEqual(r.resourcesAfter, r.resourcesBefore, 'no handle, timer or request left behind');
});
