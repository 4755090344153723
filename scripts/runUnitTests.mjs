// Runs every test/unit/**/*.test.ts with Node's built-in runner; TypeScript is loaded through tsx.
// Extra arguments are passed to `node --test` (e.g. --test-name-pattern=chunk).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? find(p) : e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
const files = find('test/unit').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (files.length === 0) {
  console.error('No test files found under test/unit.');
  process.exit(1);
}
const concurrency = process.env.CI ? '2' : String(Math.max(2, (await import('node:os')).availableParallelism()));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...flags, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
