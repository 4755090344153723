/**
 * Load and leaks through the real inline completion provider (issue 7, item 5), inside the extension host.
 * Each step edits the document (which cancels the request in flight) and triggers a suggestion, with a
 * seeded random pause, while the workspace is reindexed. Reduced form in `npm test` (300 triggers); the
 * full run is `npm run soak` (SQUEEZE_SOAK_REQUESTS=2000). Asserts: every request ends in a reason code and
 * none in BACKEND_ERROR, no unhandled rejection in the host, heap growth after warm-up under a bound, and
 * no timers or handles left behind by the provider.
 */
import { activeResources, collectGarbage } from '../bench/lib/processProbes.ts';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createRng } from '../../src/common/random.ts';
import { closeAllEditors, editorWith, sleep, squeeze, useFakeModel, waitFor } from './util/testEnv.ts';

const REQUESTS = Number(process.env.SQUEEZE_SOAK_REQUESTS ?? 300);
const WARM_UP = Math.min(100, Math.floor(REQUESTS / 3));
const MB = 1024 * 1024;
const LINES = ['const total = ', 'function multiply(a, b) {', '  return a * b;', '}', 'export const rate = ', '// compute the cart total', 'if (items.length > 0) {'];



const total = (counts: Readonly<Partial<Record<string, number>>>) => Object.values(counts).reduce<number>((n, c) => n + (c ?? 0), 0);

suite('soak', () => {
  suiteSetup(useFakeModel);
  teardown(closeAllEditors);

  test(`${REQUESTS} triggers through the inline completion provider with edits, cancellation and a reindex: no leak`, async function () {
    this.timeout(120_000 + REQUESTS * 200);
    const api = await squeeze();
    await waitFor('the http backend', () => api.backend().kind === 'http');
    const random = createRng(11);
    const editor = await editorWith('', 0, 0);
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    const counts0 = api.completionCounts();
    let heapAtWarm = 0;
    let resourcesAtWarm: Record<string, number> = {};
    let reindex: Thenable<unknown> = Promise.resolve();
    try {
      for (let i = 0; i < REQUESTS; i++) {
        const line = LINES[Math.floor(random() * LINES.length)] as string;
        const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
        await editor.edit((e) => e.insert(end, random() < 0.5 ? `\n${line}` : line.slice(0, 1 + Math.floor(random() * 3))));
        const at = editor.document.lineAt(editor.document.lineCount - 1).range.end;
        editor.selection = new vscode.Selection(at, at);
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        const pause = random();
        if (pause < 0.5) await sleep(Math.floor(pause * 80)); // else the next edit cancels it at once
        if (i % 150 === 75) reindex = vscode.commands.executeCommand('squeeze.reindexWorkspace');
        if (i === WARM_UP) {
          await reindex;
          await sleep(300);
          collectGarbage();
          heapAtWarm = process.memoryUsage().heapUsed;
          resourcesAtWarm = activeResources();
        }
      }
      await reindex;
      await api.index.whenIdle();
      await sleep(1500); // debounce timers and the last request settle
      collectGarbage();
      const counts = api.completionCounts();
      const answered = total(counts) - total(counts0);
      const heapGrowth = process.memoryUsage().heapUsed - heapAtWarm;
      const after = activeResources();
      console.log(`    soak: ${REQUESTS} triggers, ${answered} provider requests ${JSON.stringify(counts)}; heap +${(heapGrowth / MB).toFixed(1)} MB after warm-up; resources ${JSON.stringify(resourcesAtWarm)} -> ${JSON.stringify(after)}`);
      assert.ok(answered >= REQUESTS / 4, `only ${answered} of ${REQUESTS} triggers reached the provider`);
      assert.ok((counts.OK ?? 0) > (counts0.OK ?? 0), 'some completions succeed');
      assert.equal(counts.BACKEND_ERROR ?? 0, counts0.BACKEND_ERROR ?? 0, 'no request failed');
      assert.deepEqual(rejections, []);
      assert.ok(heapGrowth < 40 * MB, `heap grew ${(heapGrowth / MB).toFixed(1)} MB`);
      for (const kind of ['Timeout', 'TCPSocketWrap', 'FSReqCallback']) {
        assert.ok((after[kind] ?? 0) <= (resourcesAtWarm[kind] ?? 0) + 2, `${kind}: ${resourcesAtWarm[kind] ?? 0} -> ${after[kind] ?? 0}`);
      }
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
