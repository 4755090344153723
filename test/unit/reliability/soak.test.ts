/**
 * Load and leaks (issue 7, item 5), reduced form: 2,000 inline-completion-like requests through the
 * vscode-free path (cursor window, retrieval query, search over the built-in index, context fitting,
 * FIM prefix) with random cancellation, while files are edited and the repository is reindexed three
 * times. Asserts: no unhandled rejection, heap growth after warm-up under 16 MB and RSS growth under
 * 50 MB, and the same active handles and timers at the end as at the start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CancellationTokenSource, isCancellationError } from '../../../src/common/cancellation.ts';
import { indexRepository } from '../../../src/node/indexer/repositoryIndexer.ts';
import { openSearchIndex, type SearchIndex } from '../../../src/node/indexer/searchIndex.ts';
/* eslint-disable no-restricted-imports -- vscode-free (pure) prompt builders, driven as the extension drives them */
import { completionPrefix, cursorWindow, retrievalQuery } from '../../../src/vscode/context/completionPrompt.ts';
import { buildRepoContext } from '../../../src/vscode/context/repoContext.ts';
/* eslint-enable no-restricted-imports */
import { TilingChunker } from './tilingChunker.ts';
import { tempDirMaker } from './tempDirs.ts';
import { createRng } from '../../../src/common/random.ts';

const REQUESTS = 2_000;
const WARM_UP = 200;
const MB = 1024 * 1024;

const mkTemp = tempDirMaker();

/** Seeded (mulberry32), so every run plans the same moments. */
const rng = createRng;

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Active handles and requests by type, without the ones the test runner itself holds open. */
function activeResources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

test(`soak: ${REQUESTS} completion requests with random cancellation, edits and reindexing; no leak`, { timeout: 60_000 }, async (t) => {
  const random = rng(7);
  const root = mkTemp('squeeze-soak-');
  const docs: string[] = [];
  for (let i = 0; i < 120; i++) {
    const text = Array.from({ length: 30 }, (_, l) => `export function handler${i}_${l}(order: Order, qty${l % 7}: number) { return order.total * ${l}; }`).join('\n') + '\n';
    fs.writeFileSync(path.join(root, `m${i}.ts`), text);
    docs.push(text);
  }
  const indexDir = `${root}-index`;
  const opts = { indexDir, chunker: new TilingChunker() };
  await indexRepository(root, opts);
  let index: SearchIndex = await openSearchIndex(root, { indexDir });

  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  process.on('unhandledRejection', onRejection);
  await new Promise((r) => setTimeout(r, 20)); // let the file handles of the first run finish closing
  const before = activeResources();
  let cancelled = 0;
  let completed = 0;

  async function request(i: number): Promise<void> {
    const doc = docs[i % docs.length] as string;
    const offset = Math.floor(random() * doc.length);
    const cts = new CancellationTokenSource();
    const mode = random();
    if (mode < 0.15) cts.cancel();
    else if (mode < 0.35) setTimeout(() => cts.cancel(), 0);
    else if (mode < 0.45) queueMicrotask(() => cts.cancel());
    try {
      const win = cursorWindow(doc, offset, 1500, 300);
      const hits = await index.search(retrievalQuery(win.prefix, win.suffix), 8, cts.token);
      const retrieved = hits.map((h) => ({ ...h.chunk, score: h.score, signatures: [] }));
      const context = buildRepoContext(retrieved, { surface: 'completion', query: 'q', budgetChars: 2000, style: 'comment', commentPrefix: '//' });
      const prompt = completionPrefix(context.text, `m${i % docs.length}.ts`, 'typescript', win.prefix);
      assert.ok(prompt.endsWith(win.prefix));
      completed++;
    } catch (e) {
      if (!isCancellationError(e)) throw e;
      cancelled++;
    } finally {
      cts.dispose();
    }
  }

  let heapAtWarm = 0;
  let rssAtWarm = 0;
  let reindex: Promise<void> = Promise.resolve();
  for (let i = 0; i < REQUESTS; i += 8) {
    await Promise.all(Array.from({ length: 8 }, (_, k) => request(i + k)));
    if (i === WARM_UP) {
      collectGarbage();
      heapAtWarm = process.memoryUsage().heapUsed;
      rssAtWarm = process.memoryUsage().rss;
    }
    if (i % 600 === 0 && i > 0) {
      // Concurrent edits and a reindex; the new index is swapped in when ready, as the extension does.
      await reindex;
      const n = Math.floor(random() * docs.length);
      docs[n] = `${docs[n]}export const edited${i} = ${i};\n`;
      fs.writeFileSync(path.join(root, `m${n}.ts`), docs[n] as string);
      reindex = indexRepository(root, opts).then(async () => {
        index = await openSearchIndex(root, { indexDir });
      });
    }
  }
  await reindex;
  await new Promise((r) => setTimeout(r, 20));
  collectGarbage();
  const heapGrowth = process.memoryUsage().heapUsed - heapAtWarm;
  const rssGrowth = process.memoryUsage().rss - rssAtWarm;
  const after = activeResources();
  process.off('unhandledRejection', onRejection);
  t.diagnostic(`${completed} completed, ${cancelled} cancelled; heap +${(heapGrowth / MB).toFixed(1)} MB, RSS +${(rssGrowth / MB).toFixed(1)} MB after warm-up; resources ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  assert.equal(completed + cancelled, Math.ceil(REQUESTS / 8) * 8);
  assert.ok(cancelled > REQUESTS / 10 && completed > REQUESTS / 3, 'both outcomes are exercised');
  assert.deepEqual(rejections, []);
  assert.ok(heapGrowth < 16 * MB, `heap grew ${heapGrowth} bytes`);
  assert.ok(rssGrowth < 50 * MB, `RSS grew ${rssGrowth} bytes`);
  assert.deepEqual(after, before, 'no handle, timer or request left behind');
});
