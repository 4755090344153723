// The editor's completion context path on the dev set: `buildRetrievedContext` exactly as the inline
// completion provider calls it (the editor's query at the task's cursor, hashed top-k over the repository
// without the target file, symbol-path headers, the last 4,000 characters before the cursor), before
// (detail-level compression of 8 chunks, the path of earlier rounds) and now (24 chunks reranked by the
// names of the query's lines on both sides of the cursor, then novelty-packed), scored by identifier
// recall, with paired differences.
//   node --import tsx scripts/eval/editorPath.mjs <tasks.jsonl> [budgetChars=2000] [hashedDim=1024]
import path from 'node:path';
import { buildRetrievedContext } from '../../src/common/assemble/retrievedContext.ts';
import { HashedEncoder } from '../../src/common/encode/hashedEncoder.ts';
import { bootstrapMean } from '../../src/common/eval/bootstrap.ts';
import { buildEvalCorpus } from '../../src/common/eval/evalCorpus.ts';
import { editorSuffix, productQuery } from '../../src/common/eval/retrievers.ts';
import { goldLineHit, identifierRecall, missingIdentifiers } from '../../src/common/eval/textMetrics.ts';
import { exactTopKSync } from '../../src/common/search/exactSearch.ts';
import { loadRepoFiles } from '../../src/node/eval/repoFiles.ts';
import { readTasksFile } from '../../src/node/eval/runEval.ts';

const [tasksFile, budgetArg = '2000', dimArg = '1024'] = process.argv.slice(2);
const budgetChars = Number(budgetArg);
const tasks = await readTasksFile(tasksFile);
const corpora = new Map();
for (const dir of new Set(tasks.map((t) => t.repo_dir))) {
  corpora.set(dir, buildEvalCorpus(await loadRepoFiles(path.resolve(path.dirname(tasksFile), dir)), new HashedEncoder({ dim: Number(dimArg) })));
}

function editorContext(corpus, task, novel) {
  const q = corpus.encoder.encodeMatrix([productQuery(task)]);
  const top = exactTopKSync(corpus.vectors, q, { k: novel ? 24 : 8, dim: corpus.encoder.dim, filter: (r) => corpus.chunks[r]?.path !== task.file });
  const candidates = top.map((x) => ({ chunk: corpus.chunks[x.index], score: x.score }));
  const o = { surface: 'completion', query: '', budgetChars, style: 'comment', createdAt: 0 };
  return buildRetrievedContext(candidates, novel ? { ...o, prefix: task.prefix.slice(-4000), suffix: editorSuffix(task) } : o).text;
}

const rows = { before: [], now: [] };
for (const task of tasks) {
  const needed = missingIdentifiers(task.groundtruth, task.prefix);
  for (const [name, novel] of [['before', false], ['now', true]]) {
    const text = editorContext(corpora.get(task.repo_dir), task, novel);
    rows[name].push({ language: task.language, recall: identifierRecall(needed, text), gold: goldLineHit(task.groundtruth, text) ? 1 : 0 });
  }
}
const ci = (m) => `${m.mean.toFixed(3)} [${m.low.toFixed(3)}, ${m.high.toFixed(3)}]`;
console.log(`| language | before: recall | now: recall | now − before [95% CI] (n) | gold-line hit before → now |\n|---|---|---|---|---|`);
for (const lang of [...new Set(tasks.map((t) => t.language))].sort().concat('all')) {
  const pick = (r) => r.filter((x) => lang === 'all' || x.language === lang);
  const b = pick(rows.before);
  const n = pick(rows.now);
  const idx = b.map((x, i) => i).filter((i) => b[i].recall !== undefined);
  const diff = bootstrapMean(idx.map((i) => n[i].recall - b[i].recall), 1);
  const g = (r) => bootstrapMean(r.map((x) => x.gold), 1).mean.toFixed(3);
  console.log(`| ${lang} | ${ci(bootstrapMean(idx.map((i) => b[i].recall), 1))} | ${ci(bootstrapMean(idx.map((i) => n[i].recall), 1))} | ${diff.mean >= 0 ? '+' : ''}${ci(diff)} (${diff.n}) | ${g(b)} → ${g(n)} |`);
}
