/**
 * `npm run soak`, part 1: the full vscode-free soak (test/bench/lib/soakRun.ts) with the real AST chunker:
 * 2,000 inline-completion-like requests, 8 at a time, ~45% cancelled, files edited and the repository
 * reindexed every 240 requests. Prints JSON and a table; exits 1 when a bound is broken (no unhandled
 * rejection, heap growth < 16 MB and RSS growth < 50 MB after a 200-request warm-up, no handle left).
 * Part 2 (same npm script) runs 2,000 triggers through the real provider in VS Code (test/integration/soak.test.ts).
 * usage: node --expose-gc dist/bench/soak.bench.cjs [--requests 2000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSoak } from './lib/soakRun.ts';

const MB = 1024 * 1024;
const i = process.argv.indexOf('--requests');
const requests = i >= 0 ? Number(process.argv[i + 1]) : 2000;

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-soak-bench-'));
  try {
    const r = await runSoak({ root, requests, warmUp: 200, reindexEvery: 240 });
    const checks = [
      { check: 'unhandled rejections', value: r.unhandledRejections.length, bound: '0', ok: r.unhandledRejections.length === 0 },
      { check: 'heap growth after warm-up (MB)', value: +(r.heapGrowthBytes / MB).toFixed(1), bound: '< 16', ok: r.heapGrowthBytes < 16 * MB },
      { check: 'RSS growth after warm-up (MB)', value: +(r.rssGrowthBytes / MB).toFixed(1), bound: '< 50', ok: r.rssGrowthBytes < 50 * MB },
      { check: 'handles/timers left (before -> after)', value: `${JSON.stringify(r.resourcesBefore)} -> ${JSON.stringify(r.resourcesAfter)}`, bound: 'equal', ok: JSON.stringify(r.resourcesBefore) === JSON.stringify(r.resourcesAfter) },
      { check: 'prompts not ending in the cursor prefix', value: r.promptMismatches, bound: '0', ok: r.promptMismatches === 0 },
    ];
    const summary = { requests: r.requests, completed: r.completed, cancelled: r.cancelled, reindexRuns: r.reindexRuns, seconds: +(r.ms / 1000).toFixed(1), heapAtWarmUpMB: +(r.heapStartBytes / MB).toFixed(1), rssAtWarmUpMB: +(r.rssStartBytes / MB).toFixed(1) };
    console.log(JSON.stringify({ summary, checks }, null, 2));
    console.log(`\n${r.requests} requests (${r.completed} completed, ${r.cancelled} cancelled), ${r.reindexRuns} reindex runs, ${summary.seconds} s`);
    console.log('| check | value | bound | ok |\n|---|---|---|---|');
    for (const c of checks) console.log(`| ${c.check} | ${c.value} | ${c.bound} | ${c.ok ? 'yes' : 'NO'} |`);
    process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(`${root}-index`, { recursive: true, force: true });
}
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
