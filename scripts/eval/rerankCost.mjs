// Cost of the completion context's reranking against the rest of the completion-context path, same run,
// same tasks: exact search (dim 1024, as the index), `withCursorNameScores`, and the whole
// `buildRetrievedContext` (reranking, novelty packing, rendering), p50 over the tasks of the given
// repositories (a warm-up pass first), for 24 (the editor's) and 64 candidates; `+bm25`: the reranking with
// the pool-BM25 list (term statistics from the index's IDF table; eval retriever `ours+bm25`, not adopted).
//   node --import tsx scripts/eval/rerankCost.mjs <tasks.jsonl> [repo-dir-suffix ...]
import path from 'node:path';
import { buildRetrievedContext } from '../../src/common/assemble/retrievedContext.ts';
import { HashedEncoder } from '../../src/common/encode/hashedEncoder.ts';
import { buildEvalCorpus } from '../../src/common/eval/evalCorpus.ts';
import { editorSuffix, productQuery } from '../../src/common/eval/retrievers.ts';
import { hashedTermStatistics } from '../../src/common/rank/hashedTermStatistics.ts';
import { withCursorNameScores } from '../../src/common/rank/rerankByCursorNames.ts';
import { exactTopKSync } from '../../src/common/search/exactSearch.ts';
import { loadRepoFiles } from '../../src/node/eval/repoFiles.ts';
import { readTasksFile } from '../../src/node/eval/runEval.ts';

const [tasksFile, ...repos] = process.argv.slice(2);
const wanted = repos.length > 0 ? repos : ['rxjs', 'jdk-concurrent'];
const tasks = (await readTasksFile(tasksFile)).filter((t) => wanted.some((r) => t.repo_dir.endsWith(r)));
const corpora = new Map();
for (const dir of new Set(tasks.map((t) => t.repo_dir))) {
  corpora.set(dir, buildEvalCorpus(await loadRepoFiles(path.resolve(path.dirname(tasksFile), dir)), new HashedEncoder({ dim: 1024 })));
}
const p50 = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const timed = (fn) => {
  const started = performance.now();
  const value = fn();
  return [value, performance.now() - started];
};

for (const k of [24, 64]) {
  const ms = { search: [], rerank: [], build: [], rerankBm25: [] };
  for (const pass of [0, 1]) {
    for (const task of tasks) {
      const c = corpora.get(task.repo_dir);
      const query = c.encoder.encodeMatrix([productQuery(task)]);
      const [top, search] = timed(() => exactTopKSync(c.vectors, query, { k, dim: c.encoder.dim, filter: (r) => c.chunks[r]?.path !== task.file }));
      const candidates = top.map((x) => ({ chunk: c.chunks[x.index], score: x.score }));
      const prefix = task.prefix.slice(-4000);
      const after = editorSuffix(task);
      const [, rerank] = timed(() => withCursorNameScores(candidates, prefix, { after }));
      const [, build] = timed(() => buildRetrievedContext(candidates, { surface: 'completion', query: '', budgetChars: 2000, style: 'comment', prefix, suffix: after, createdAt: 0 }));
      const termStatistics = hashedTermStatistics(c.encoder.idf);
      const [, rerankBm25] = timed(() => withCursorNameScores(candidates, prefix, { after, query: productQuery(task), termStatistics }));
      if (pass === 1) {
        ms.search.push(search);
        ms.rerank.push(rerank);
        ms.build.push(build);
        ms.rerankBm25.push(rerankBm25);
      }
    }
  }
  console.log(`${k} candidates, ${tasks.length} tasks: p50 search ${p50(ms.search).toFixed(2)} ms, rerank ${p50(ms.rerank).toFixed(2)} ms, `
    + `buildRetrievedContext ${p50(ms.build).toFixed(2)} ms (rerank / build ${(p50(ms.rerank) / p50(ms.build)).toFixed(2)}); `
    + `+bm25: rerank ${p50(ms.rerankBm25).toFixed(2)} ms`);
}
