// `npm run package`: a production build, the pre-pack check, then `vsce package` for linux-x64 into
// dist/squeeze-linux-x64.vsix, then the check of what the archive holds (scripts/checkPackage.mjs).
// What ships is the allow-list in .vscodeignore. Prints the VSIX size and its largest entries.
// usage: node scripts/package.mjs [--no-build] [--out <file.vsix>]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkSources, checkVsix, describeVsix } from './checkPackage.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const argv = process.argv.slice(2);
const out = path.resolve(root, argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : 'dist/squeeze-linux-x64.vsix');
const VSCE = path.join(root, 'node_modules/@vscode/vsce/vsce');

function run(what, args) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail(`${what} failed (exit ${r.status ?? r.signal})`);
  console.log(`package: ${what} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function fail(message, problems = []) {
  for (const p of problems) console.error(`package: ${p}`);
  console.error(`package: ${message}`);
  process.exit(1);
}

if (!argv.includes('--no-build')) run('production build', ['esbuild.mjs', '--production']);
const before = checkSources();
if (before.length) fail('pre-pack check failed', before);
fs.rmSync(out, { force: true });
// The README's screenshots are repository-relative; with no repository in package.json, vsce needs a base URL.
run('vsce package', [VSCE, 'package', '--target', 'linux-x64', '--allow-missing-repository', '--skip-license',
  '--baseContentUrl', 'https://example.invalid/squeeze', '--baseImagesUrl', 'https://example.invalid/squeeze', '-o', out]);
const { entries, problems } = checkVsix(out);
console.log(describeVsix(out, entries).text);
if (problems.length) fail('VSIX check failed', problems);
console.log(`package: ${path.relative(root, out)} is ready`);
