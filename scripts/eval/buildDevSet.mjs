// Builds the public development set of `squeeze eval` under .eval-data/dev/ (ignored by git):
//   repos/<name>/   sources fetched with ordinary package clients (npm pack, apt-get download)
//   tasks.jsonl     RepoEval-style line-completion tasks (filters: src/common/eval/taskSampling.ts)
// Run: node --import tsx scripts/eval/buildDevSet.mjs [--set v1|v2] [--seed N] [--per-repo N] [--out DIR]
//      [--exclude TASKS] [--dl DIR]
// --exclude drops the tasks (same id) of another tasks file: a held-out set from the same sources, other lines.
// --dl is the download cache (default .eval-data/dl), shared by the dev and held-out builds.
// --set v1 rebuilds the first set (674 tasks at the default seed); v2 (default) is v1 plus three more
// repositories per language. v1's repositories keep their position, hence their seeds, so v2 ⊇ v1.
// Licenses, v1: immer, mobx (MIT), rxjs (Apache-2.0), express, ws, commander (MIT), requests
// (Apache-2.0), click (BSD-3-Clause), attrs (MIT), OpenJDK 17 class library (GPLv2 + Classpath exception).
// Added in v2: @trpc/server, @reduxjs/toolkit, @tanstack/table-core (MIT), axios, fastify, knex (MIT),
// jinja2, werkzeug (BSD-3-Clause), urllib3 (MIT; one backport file PSF-2.0), OpenJDK 17 java.util.stream,
// java.nio.file, java.net (GPLv2 + Classpath exception).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { languageForPath } from '../../src/common/chunk/languages.ts';
import { sampleTasks } from '../../src/common/eval/taskSampling.ts';

const V1 = {
  npm: [
    { name: 'immer', spec: 'immer@10.1.1', keep: ['src'] },
    { name: 'mobx', spec: 'mobx@6.13.5', keep: ['src'] },
    { name: 'rxjs', spec: 'rxjs@7.8.1', keep: ['src'] },
    { name: 'express', spec: 'express@4.21.1', keep: ['lib', 'index.js'] },
    { name: 'ws', spec: 'ws@8.18.0', keep: ['lib', 'index.js'] },
    { name: 'commander', spec: 'commander@12.1.0', keep: ['lib', 'index.js'] },
  ],
  deb: [
    { name: 'requests', pkg: 'python3-requests', keep: ['usr/lib/python3/dist-packages/requests'] },
    { name: 'click', pkg: 'python3-click', keep: ['usr/lib/python3/dist-packages/click'] },
    { name: 'attrs', pkg: 'python3-attr', keep: ['usr/lib/python3/dist-packages/attr', 'usr/lib/python3/dist-packages/attrs'] },
  ],
  jdk: [
    { name: 'jdk-concurrent', under: 'java.base/java/util/concurrent/' },
    { name: 'jdk-time', under: 'java.base/java/time/' },
  ],
};
const ADDED_IN_V2 = {
  npm: [
    { name: 'trpc-server', spec: '@trpc/server@10.45.2', keep: ['src'] },
    { name: 'redux-toolkit', spec: '@reduxjs/toolkit@2.3.0', keep: ['src'] },
    { name: 'table-core', spec: '@tanstack/table-core@8.20.5', keep: ['src'] },
    { name: 'axios', spec: 'axios@1.7.7', keep: ['lib', 'index.js'] },
    { name: 'fastify', spec: 'fastify@4.28.1', keep: ['lib', 'fastify.js'] },
    { name: 'knex', spec: 'knex@3.1.0', keep: ['lib', 'knex.js'] },
  ],
  deb: [
    { name: 'jinja2', pkg: 'python3-jinja2', keep: ['usr/lib/python3/dist-packages/jinja2'], exts: ['.py'] },
    { name: 'werkzeug', pkg: 'python3-werkzeug', keep: ['usr/lib/python3/dist-packages/werkzeug'], exts: ['.py'] },
    { name: 'urllib3', pkg: 'python3-urllib3', keep: ['usr/lib/python3/dist-packages/urllib3'], exts: ['.py'] },
  ],
  jdk: [
    { name: 'jdk-stream', under: 'java.base/java/util/stream/' },
    { name: 'jdk-nio-file', under: 'java.base/java/nio/file/' },
    { name: 'jdk-net', under: 'java.base/java/net/' },
  ],
};
const JDK = { pkg: 'openjdk-17-source', zip: 'usr/lib/jvm/openjdk-17/lib/src.zip' };
const EXTENSIONS = new Set(['.ts', '.js', '.py', '.java']);

const { values } = parseArgs({ options: {
  set: { type: 'string' }, seed: { type: 'string' }, 'per-repo': { type: 'string' }, out: { type: 'string' },
  exclude: { type: 'string' }, dl: { type: 'string' },
} });
const set = values.set ?? 'v2';
if (set !== 'v1' && set !== 'v2') throw new Error(`--set must be v1 or v2, not ${set}`);
const seed = Number(values.seed ?? 20251123);
const out = path.resolve(values.out ?? '.eval-data/dev');
const dl = path.resolve(values.dl ?? '.eval-data/dl');
const reposDir = path.join(out, 'repos');
fs.mkdirSync(dl, { recursive: true });

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

function copyKept(from, to, keep) {
  fs.rmSync(to, { recursive: true, force: true });
  // Links are skipped: Debian points vendored files (werkzeug's jquery.js) at other packages.
  const notLink = (src) => !fs.lstatSync(src).isSymbolicLink();
  for (const k of keep) if (fs.existsSync(path.join(from, k))) fs.cpSync(path.join(from, k), path.join(to, path.basename(k)), { recursive: true, filter: notLink });
}

// npm pack's file name: '@scope/name@1.2.3' → 'scope-name-1.2.3.tgz'.
const tarballName = (spec) => `${spec.replace(/^@/, '').replace('/', '-').replace(/@(?=[^@]*$)/, '-')}.tgz`;

function fetchNpm({ name, spec, keep }) {
  const file = fs.existsSync(path.join(dl, tarballName(spec))) ? tarballName(spec) : run('npm', ['pack', spec, '--silent'], dl).trim().split('\n').pop();
  const tmp = path.join(dl, `x-${name}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  run('tar', ['xzf', path.join(dl, file), '-C', tmp]);
  copyKept(path.join(tmp, 'package'), path.join(reposDir, name), keep);
}

function debFile(pkg) {
  const find = () => fs.readdirSync(dl).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  if (!find()) run('apt-get', ['download', pkg], dl);
  return path.join(dl, find());
}

function fetchDeb({ name, pkg, keep }) {
  const tmp = path.join(dl, `x-${name}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  run('dpkg-deb', ['-x', debFile(pkg), tmp]);
  copyKept(tmp, path.join(reposDir, name), keep);
}

function fetchJdk(repos) {
  const tmp = path.join(dl, 'x-jdk');
  if (!fs.existsSync(path.join(tmp, JDK.zip))) run('dpkg-deb', ['-x', debFile(JDK.pkg), tmp]);
  for (const r of repos) {
    const dest = path.join(reposDir, r.name);
    fs.rmSync(dest, { recursive: true, force: true });
    run('unzip', ['-q', path.join(tmp, JDK.zip), `${r.under}*`, '-d', dest]);
  }
}

// `exts` narrows a repository's sampled files (werkzeug's debugger.js would be a JavaScript task).
function sourceFiles(root, exts = EXTENSIONS, dir = '') {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return sourceFiles(root, exts, rel);
    if (!exts.has(path.extname(e.name))) return [];
    return [{ path: rel, language: languageForPath(rel), text: fs.readFileSync(path.join(root, rel), 'utf8') }];
  });
}

// v1's repositories first, in v1's order: the i-th repository is sampled with seed + i.
const parts = set === 'v1' ? [V1] : [V1, ADDED_IN_V2];
parts.forEach((p) => { p.npm.forEach(fetchNpm); p.deb.forEach(fetchDeb); fetchJdk(p.jdk); });
const repos = parts.flatMap((p) => [...p.npm, ...p.deb, ...p.jdk]);
const perRepo = (name) => Number(values['per-repo'] ?? (name.startsWith('jdk-') ? 120 : 80));
const excluded = new Set(values.exclude ? fs.readFileSync(values.exclude, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l).id) : []);
const filesOf = (r) => sourceFiles(path.join(reposDir, r.name), r.exts ? new Set(r.exts) : EXTENSIONS);
const tasks = repos.flatMap((r, i) => sampleTasks(filesOf(r), { count: perRepo(r.name), seed: seed + i, repoDir: `repos/${r.name}` }))
  .filter((t) => !excluded.has(t.id));
fs.writeFileSync(path.join(out, 'tasks.jsonl'), tasks.map((t) => JSON.stringify(t)).join('\n') + '\n');
const byLang = {};
for (const t of tasks) byLang[t.language] = (byLang[t.language] ?? 0) + 1;
console.log(`${tasks.length} tasks in ${path.join(out, 'tasks.jsonl')}:`, byLang);
