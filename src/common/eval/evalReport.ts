/**
 * Per-task results of the eval and their summary per retriever × language (and overall): identifier
 * recall and gold-line hit with seeded bootstrap 95% intervals, context size used, retrieval ms p50.
 */
import { estimateTokens } from '../chunk/estimateTokens.ts';
import { bootstrapMean, mean, percentile, type MeanInterval } from './bootstrap.ts';
import type { EvalTask } from './evalTask.ts';
import { goldLineHit, identifierRecall, missingIdentifiers } from './textMetrics.ts';

export interface TaskResult {
  readonly id: string;
  readonly language: string;
  readonly retriever: string;
  /** Undefined when the ground truth needs no identifier beyond the prefix. */
  readonly identifierRecall?: number;
  readonly goldLineHit: boolean;
  readonly contextChars: number;
  readonly contextTokens: number;
  readonly retrievalMs: number;
}

export function scoreContext(task: EvalTask, retriever: string, context: string, retrievalMs: number): TaskResult {
  const recall = identifierRecall(missingIdentifiers(task.groundtruth, task.prefix), context);
  return {
    id: task.id, language: task.language, retriever,
    ...(recall === undefined ? {} : { identifierRecall: recall }),
    goldLineHit: goldLineHit(task.groundtruth, context),
    contextChars: context.length, contextTokens: estimateTokens(context), retrievalMs,
  };
}

export interface SummaryRow {
  readonly retriever: string;
  /** A language, or `all`. */
  readonly language: string;
  readonly tasks: number;
  readonly identifierRecall: MeanInterval;
  readonly goldLineHit: MeanInterval;
  readonly meanContextTokens: number;
  readonly retrievalMsP50: number;
}

export function summarize(results: readonly TaskResult[], seed = 1): SummaryRow[] {
  const retrievers = [...new Set(results.map((r) => r.retriever))];
  const languages = [...new Set(results.map((r) => r.language))].sort();
  const rows: SummaryRow[] = [];
  for (const retriever of retrievers) {
    for (const language of [...languages, 'all']) {
      const rs = results.filter((r) => r.retriever === retriever && (language === 'all' || r.language === language));
      if (rs.length === 0) continue;
      rows.push({
        retriever, language, tasks: rs.length,
        identifierRecall: bootstrapMean(rs.flatMap((r) => (r.identifierRecall === undefined ? [] : [r.identifierRecall])), seed),
        goldLineHit: bootstrapMean(rs.map((r) => (r.goldLineHit ? 1 : 0)), seed),
        meanContextTokens: mean(rs.map((r) => r.contextTokens)),
        retrievalMsP50: percentile(rs.map((r) => r.retrievalMs), 0.5),
      });
    }
  }
  return rows;
}

function ci(m: MeanInterval): string {
  return `${m.mean.toFixed(3)} [${m.low.toFixed(3)}, ${m.high.toFixed(3)}]`;
}

/** A markdown table, one row per retriever × language. */
export function summaryMarkdown(rows: readonly SummaryRow[], title: string): string {
  const head = '| retriever | language | tasks | identifier recall [95% CI] (n) | gold-line hit [95% CI] | context tokens | retrieval ms p50 |';
  const rule = '|---|---|---:|---|---|---:|---:|';
  const body = rows.map((r) => `| ${r.retriever} | ${r.language} | ${r.tasks} | ${ci(r.identifierRecall)} (${r.identifierRecall.n}) | ${ci(r.goldLineHit)} | ${Math.round(r.meanContextTokens)} | ${r.retrievalMsP50.toFixed(1)} |`);
  return `### ${title}\n\n${[head, rule, ...body].join('\n')}\n`;
}
