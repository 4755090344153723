/**
 * The vscode-free soak (issue 7, item 5): inline-completion-like requests (cursor window, retrieval query,
 * search over the built-in index, context fitting, FIM prefix), 8 at a time, with seeded random
 * cancellation (already cancelled, microtask, timer) while files are edited and the repository is
 * reindexed. Shared by the reduced unit test (test/unit/reliability/soak.test.ts) and `npm run soak`.
 */
import { activeResources, collectGarbage } from './processProbes.ts';
import fs from 'node:fs';
import path from 'node:path';
import { CancellationTokenSource, isCancellationError } from '../../../src/common/cancellation.ts';
import { createRng } from '../../../src/common/random.ts';
import type { FileChunker } from '../../../src/node/indexer/fileChunks.ts';
import { indexRepository } from '../../../src/node/indexer/repositoryIndexer.ts';
import { openSearchIndex, type SearchIndex } from '../../../src/node/indexer/searchIndex.ts';
/* eslint-disable no-restricted-imports -- vscode-free (pure) prompt builders, driven as the extension drives them */
import { completionPrefix, cursorWindow, retrievalQuery } from '../../../src/vscode/context/completionPrompt.ts';
import { buildRepoContext } from '../../../src/vscode/context/repoContext.ts';
/* eslint-enable no-restricted-imports */

export interface SoakOptions {
  readonly root: string;
  readonly requests: number;
  readonly warmUp: number;
  /** Reindex after every this many requests. */
  readonly reindexEvery: number;
  readonly chunker?: FileChunker;
  readonly seed?: number;
}

export interface SoakResult {
  readonly requests: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly reindexRuns: number;
  readonly heapGrowthBytes: number;
  readonly rssGrowthBytes: number;
  readonly heapStartBytes: number;
  readonly rssStartBytes: number;
  readonly unhandledRejections: readonly unknown[];
  readonly resourcesBefore: Readonly<Record<string, number>>;
  readonly resourcesAfter: Readonly<Record<string, number>>;
  readonly promptMismatches: number;
  readonly ms: number;
}



function writeRepo(root: string): string[] {
  const docs: string[] = [];
  for (let i = 0; i < 120; i++) {
    const text = Array.from({ length: 30 }, (_, l) => `export function handler${i}_${l}(order: Order, qty${l % 7}: number) { return order.total * ${l}; }`).join('\n') + '\n';
    fs.writeFileSync(path.join(root, `m${i}.ts`), text);
    docs.push(text);
  }
  return docs;
}

/** Runs the soak in `root` (filled with 120 generated files); the index goes to `<root>-index`. */
export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const started = performance.now();
  const random = createRng(o.seed ?? 7);
  const docs = writeRepo(o.root);
  const indexDir = `${o.root}-index`;
  const opts = { indexDir, ...(o.chunker ? { chunker: o.chunker } : {}) };
  await indexRepository(o.root, opts);
  let index: SearchIndex = await openSearchIndex(o.root, { indexDir });
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  process.on('unhandledRejection', onRejection);
  await new Promise((r) => setTimeout(r, 20)); // let the file handles of the first run finish closing
  const before = activeResources();
  const tally = { completed: 0, cancelled: 0, mismatches: 0, reindexRuns: 0 };

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
      if (!prompt.endsWith(win.prefix)) tally.mismatches++;
      tally.completed++;
    } catch (e) {
      if (!isCancellationError(e)) throw e;
      tally.cancelled++;
    } finally {
      cts.dispose();
    }
  }

  let heapAtWarm = 0;
  let rssAtWarm = 0;
  let reindex: Promise<void> = Promise.resolve();
  try {
    for (let i = 0; i < o.requests; i += 8) {
      await Promise.all(Array.from({ length: 8 }, (_, k) => request(i + k)));
      if (i === o.warmUp) {
        collectGarbage();
        heapAtWarm = process.memoryUsage().heapUsed;
        rssAtWarm = process.memoryUsage().rss;
      }
      if (i % o.reindexEvery === 0 && i > 0) {
        // Concurrent edits and a reindex; the new index is swapped in when ready, as the extension does.
        await reindex;
        const n = Math.floor(random() * docs.length);
        docs[n] = `${docs[n]}export const edited${i} = ${i};\n`;
        fs.writeFileSync(path.join(o.root, `m${n}.ts`), docs[n] as string);
        tally.reindexRuns++;
        reindex = indexRepository(o.root, opts).then(async () => {
          index = await openSearchIndex(o.root, { indexDir });
        });
      }
    }
    await reindex;
    await new Promise((r) => setTimeout(r, 20));
    collectGarbage();
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  const mem = process.memoryUsage();
  return {
    requests: Math.ceil(o.requests / 8) * 8, completed: tally.completed, cancelled: tally.cancelled, reindexRuns: tally.reindexRuns,
    heapGrowthBytes: mem.heapUsed - heapAtWarm, rssGrowthBytes: mem.rss - rssAtWarm, heapStartBytes: heapAtWarm, rssStartBytes: rssAtWarm,
    unhandledRejections: rejections, resourcesBefore: before, resourcesAfter: activeResources(), promptMismatches: tally.mismatches,
    ms: performance.now() - started,
  };
}
