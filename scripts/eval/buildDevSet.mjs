// Builds the public development set of `squeeze eval` under .eval-data/dev/ (ignored by git):
//   repos/<name>/   sources fetched with ordinary package clients (npm pack, apt-get download)
//   tasks.jsonl     RepoEval-style line-completion tasks (filters: src/common/eval/taskSampling.ts)
// Run: node --import tsx scripts/eval/buildDevSet.mjs [--seed N] [--per-repo N] [--out DIR] [--exclude TASKS]
// --exclude drops the tasks (same id) of another tasks file: a held-out set from the same sources, other lines.
// Licenses: immer, mobx, rxjs (MIT / Apache-2.0), express, ws, commander (MIT), requests (Apache-2.0),
// click (BSD-3-Clause), attrs (MIT), OpenJDK 17 class library (GPLv2 + Classpath exception).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { languageForPath } from '../../src/common/chunk/languages.ts';
import { sampleTasks } from '../../src/common/eval/taskSampling.ts';

const NPM = [
  { name: 'immer', spec: 'immer@10.1.1', keep: ['src'] },
  { name: 'mobx', spec: 'mobx@6.13.5', keep: ['src'] },
  { name: 'rxjs', spec: 'rxjs@7.8.1', keep: ['src'] },
  { name: 'express', spec: 'express@4.21.1', keep: ['lib', 'index.js'] },
  { name: 'ws', spec: 'ws@8.18.0', keep: ['lib', 'index.js'] },
  { name: 'commander', spec: 'commander@12.1.0', keep: ['lib', 'index.js'] },
];
const DEB = [
  { name: 'requests', pkg: 'python3-requests', keep: ['usr/lib/python3/dist-packages/requests'] },
  { name: 'click', pkg: 'python3-click', keep: ['usr/lib/python3/dist-packages/click'] },
  { name: 'attrs', pkg: 'python3-attr', keep: ['usr/lib/python3/dist-packages/attr', 'usr/lib/python3/dist-packages/attrs'] },
];
const JDK = { pkg: 'openjdk-17-source', zip: 'usr/lib/jvm/openjdk-17/lib/src.zip', repos: [
  { name: 'jdk-concurrent', under: 'java.base/java/util/concurrent/' },
  { name: 'jdk-time', under: 'java.base/java/time/' },
] };
const EXTENSIONS = new Set(['.ts', '.js', '.py', '.java']);

const { values } = parseArgs({ options: { seed: { type: 'string' }, 'per-repo': { type: 'string' }, out: { type: 'string' }, exclude: { type: 'string' } } });
const seed = Number(values.seed ?? 20251123);
const out = path.resolve(values.out ?? '.eval-data/dev');
const dl = path.join(out, 'dl');
const reposDir = path.join(out, 'repos');
fs.mkdirSync(dl, { recursive: true });

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

function copyKept(from, to, keep) {
  fs.rmSync(to, { recursive: true, force: true });
  for (const k of keep) if (fs.existsSync(path.join(from, k))) fs.cpSync(path.join(from, k), path.join(to, path.basename(k)), { recursive: true });
}

function fetchNpm({ name, spec, keep }) {
  const file = fs.readdirSync(dl).find((f) => f.startsWith(`${spec.replace('@', '-')}.tgz`)) ?? run('npm', ['pack', spec, '--silent'], dl).trim().split('\n').pop();
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

function fetchJdk() {
  const tmp = path.join(dl, 'x-jdk');
  if (!fs.existsSync(path.join(tmp, JDK.zip))) run('dpkg-deb', ['-x', debFile(JDK.pkg), tmp]);
  for (const r of JDK.repos) {
    const dest = path.join(reposDir, r.name);
    fs.rmSync(dest, { recursive: true, force: true });
    run('unzip', ['-q', path.join(tmp, JDK.zip), `${r.under}*`, '-d', dest]);
  }
}

function sourceFiles(root, dir = '') {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return sourceFiles(root, rel);
    if (!EXTENSIONS.has(path.extname(e.name))) return [];
    return [{ path: rel, language: languageForPath(rel), text: fs.readFileSync(path.join(root, rel), 'utf8') }];
  });
}

NPM.forEach(fetchNpm);
DEB.forEach(fetchDeb);
fetchJdk();
const names = [...NPM, ...DEB, ...JDK.repos].map((r) => r.name);
const perRepo = (name) => Number(values['per-repo'] ?? (name.startsWith('jdk-') ? 120 : 80));
const excluded = new Set(values.exclude ? fs.readFileSync(values.exclude, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l).id) : []);
const tasks = names.flatMap((name, i) => sampleTasks(sourceFiles(path.join(reposDir, name)), { count: perRepo(name), seed: seed + i, repoDir: `repos/${name}` }))
  .filter((t) => !excluded.has(t.id));
fs.writeFileSync(path.join(out, 'tasks.jsonl'), tasks.map((t) => JSON.stringify(t)).join('\n') + '\n');
const byLang = {};
for (const t of tasks) byLang[t.language] = (byLang[t.language] ?? 0) + 1;
console.log(`${tasks.length} tasks in ${path.join(out, 'tasks.jsonl')}:`, byLang);
