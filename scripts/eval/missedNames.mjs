// Error analysis of `ours` against a baseline: for every task needing an identifier, which needed
// identifiers `ours`'s context lacks, and where they could have come from: the candidate pool (ranked but
// not packed), a module the target file imports, a file of the same folder, the suffix only, nowhere.
//   node --import tsx scripts/eval/missedNames.mjs <tasks.jsonl> [budgetChars=6000] [language] [baseline=bm25]
import path from 'node:path';
import { HashedEncoder } from '../../src/common/encode/hashedEncoder.ts';
import { buildEvalCorpus } from '../../src/common/eval/evalCorpus.ts';
import { contextText } from '../../src/common/eval/packing.ts';
import { buildContext, rankOurs } from '../../src/common/eval/retrievers.ts';
import { identifiersOf, missingIdentifiers } from '../../src/common/eval/textMetrics.ts';
import { loadRepoFiles } from '../../src/node/eval/repoFiles.ts';
import { readTasksFile } from '../../src/node/eval/runEval.ts';

const [tasksFile, budgetArg = '6000', language, baseline = 'bm25'] = process.argv.slice(2);
const o = { budget: { unit: 'chars', size: Number(budgetArg) } };
const tasks = (await readTasksFile(tasksFile)).filter((t) => !language || t.language === language);
const corpora = new Map();
async function corpusOf(dir) {
  if (!corpora.has(dir)) corpora.set(dir, buildEvalCorpus(await loadRepoFiles(path.resolve(path.dirname(tasksFile), dir)), new HashedEncoder({ dim: 4096 })));
  return corpora.get(dir);
}

/** Files the prefix imports (relative JS/TS specifiers, Python dotted modules), as path stems. */
function importedStems(task) {
  const dir = path.posix.dirname(task.file);
  const stems = [];
  for (const m of task.prefix.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]|require\(\s*['"](\.{1,2}\/[^'"]+)['"]/g)) stems.push(path.posix.join(dir, m[1] ?? m[2]).replace(/\.(js|ts|mjs|cjs)$/, ''));
  for (const m of task.prefix.matchAll(/^\s*from\s+(\.*)([\w.]*)\s+import\s+([\w\s,()]+)|^\s*import\s+([\w.]+)/gm)) {
    if (m[4]) { stems.push(m[4].replace(/\./g, '/')); continue; }
    let base = dir;
    for (let i = 1; i < m[1].length; i++) base = path.posix.dirname(base);
    const mod = m[2] ? m[2].replace(/\./g, '/') : '';
    const root = m[1] ? path.posix.join(base, mod) : mod;
    stems.push(root);
    for (const name of m[3].replace(/[()]/g, '').split(',').map((s) => s.trim().split(/\s+/)[0]).filter(Boolean)) stems.push(path.posix.join(root, name));
  }
  return stems;
}
function isImported(file, stems) {
  const f = file.replace(/\.(py|js|ts|mjs|cjs|tsx)$/, '').replace(/\/(__init__|index)$/, '');
  return stems.some((s) => f === s || f.endsWith(`/${s}`) || s.endsWith(`/${f}`) || f.endsWith(s));
}

const counts = {};
const add = (k) => (counts[k] = (counts[k] ?? 0) + 1);
const examples = [];
for (const task of tasks) {
  const needed = missingIdentifiers(task.groundtruth, task.prefix);
  if (needed.length === 0) continue;
  const corpus = await corpusOf(task.repo_dir);
  const oursPacked = buildContext(corpus, task, 'ours', o);
  const ours = new Set(identifiersOf(contextText(oursPacked)));
  const packedKeys = new Set(oursPacked.flatMap((b) => b.pieces.map((p) => `${p.path}:${p.startLine}`)));
  const base = new Set(identifiersOf(contextText(buildContext(corpus, task, baseline, o))));
  const ranked = rankOurs(corpus, task, o);
  const poolIds = ranked.map((p) => new Set(identifiersOf(p.text)));
  const pool = new Set(poolIds.flatMap((s) => [...s]));
  const stems = importedStems(task);
  const suffix = new Set(identifiersOf(task.suffix));
  for (const id of needed) {
    add('needed');
    if (ours.has(id)) { add('ours has'); if (!base.has(id)) add('ours has, base lacks'); continue; }
    if (base.has(id)) add('base has, ours lacks');
    const files = corpus.files.filter((f) => f.path !== task.file && identifiersOf(f.text).includes(id));
    const member = new RegExp(`\\.${id}\\b`).test(task.groundtruth);
    const where = files.length === 0 ? (suffix.has(id) ? 'suffix only' : 'nowhere')
      : pool.has(id) ? 'in pool, not packed'
      : files.some((f) => isImported(f.path, stems)) ? 'imported module'
      : files.some((f) => path.posix.dirname(f.path) === path.posix.dirname(task.file)) ? 'same folder' : 'elsewhere';
    add(`missed: ${where}`);
    if (where === 'in pool, not packed') {
      const rank = poolIds.findIndex((s) => s.has(id));
      add(`  pool rank of first holder: ${rank < 8 ? '0-7' : rank < 24 ? '8-23' : '24-63'}`);
      const holders = ranked.filter((p, i) => poolIds[i].has(id));
      add(`  a holder was packed (the name thinned away): ${holders.some((p) => packedKeys.has(`${p.path}:${p.startLine}`))}`);
    }
    if (member) add(`missed member (.${'x'}): ${where}`);
    if (base.has(id)) add(`base has, ours lacks: ${where}`);
    if (examples.length < 400) examples.push(`${task.id}\t${id}\t${where}\t${files.length} files\t${task.groundtruth}`);
  }
}
console.log(Object.entries(counts).sort().map(([k, v]) => `${k}: ${v}`).join('\n'));
if (process.env.EXAMPLES) console.log(examples.join('\n'));
