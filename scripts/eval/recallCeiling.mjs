// Ceiling of identifier recall on a tasks file: the share of needed identifiers (ground truth minus the
// prefix) that occur anywhere a retriever could find them, i.e. in another file of the repository or in the
// suffix. Averaged per task like the eval's identifier recall, per language and overall.
//   node --import tsx scripts/eval/recallCeiling.mjs <tasks.jsonl>
// Reads every file under the repository that is valid UTF-8 text (an upper bound on what the eval indexes).
import fs from 'node:fs';
import path from 'node:path';
import { parseTasks } from '../../src/common/eval/evalTask.ts';
import { identifiersOf, missingIdentifiers } from '../../src/common/eval/textMetrics.ts';

const file = process.argv[2];
const tasks = parseTasks(fs.readFileSync(file, 'utf8'));
const base = path.dirname(path.resolve(file));

/** relative path → identifier set, for every file under `root`. */
function identifierSets(root, dir = '', out = new Map()) {
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) identifierSets(root, rel, out);
    else if (e.isFile()) {
      const text = fs.readFileSync(path.join(root, rel), 'utf8');
      if (!text.includes('\uFFFD') && !text.includes('\u0000')) out.set(rel, new Set(identifiersOf(text)));
    }
  }
  return out;
}

const repos = new Map();
const sums = {};
for (const t of tasks) {
  const needed = missingIdentifiers(t.groundtruth, t.prefix);
  if (needed.length === 0) continue;
  if (!repos.has(t.repo_dir)) repos.set(t.repo_dir, identifierSets(path.join(base, t.repo_dir)));
  const others = [...repos.get(t.repo_dir)].filter(([p]) => p !== t.file).map(([, ids]) => ids);
  const inSuffix = new Set(identifiersOf(t.suffix));
  const found = needed.filter((id) => inSuffix.has(id) || others.some((ids) => ids.has(id)));
  for (const key of [t.language, 'all']) (sums[key] ??= []).push(found.length / needed.length);
}
for (const [lang, rs] of Object.entries(sums).sort(([x], [y]) => (x === 'all') - (y === 'all') || x.localeCompare(y))) {
  console.log(`${lang}: ${(rs.reduce((a, b) => a + b, 0) / rs.length).toFixed(3)} (n ${rs.length})`);
}
