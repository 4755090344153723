/**
 * Per-task results of the eval and their summary per retriever × language (and overall): identifier
 * recall and gold-line hit with seeded bootstrap 95% intervals, context size used, retrieval ms p50,
 * and, when a model generated the first line, its exact match and edit similarity.
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
  /** With a model: the first generated line (trimmed) and how it compares with the ground truth. */
  readonly generated?: string;
  readonly exactMatch?: boolean;
  readonly editSimilarity?: number;
  readonly generationMs?: number;
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
  /** Present when the results carry generations. */
  readonly exactMatch?: MeanInterval;
  readonly editSimilarity?: MeanInterval;
}

function generationSummary(rs: readonly TaskResult[], seed: number): Pick<SummaryRow, 'exactMatch' | 'editSimilarity'> {
  const scored = rs.filter((r) => r.editSimilarity !== undefined);
  if (scored.length === 0) return {};
  return {
    exactMatch: bootstrapMean(scored.map((r) => (r.exactMatch ? 1 : 0)), seed),
    editSimilarity: bootstrapMean(scored.map((r) => r.editSimilarity ?? 0), seed),
  };
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
        ...generationSummary(rs, seed),
      });
    }
  }
  return rows;
}

function ci(m: MeanInterval): string {
  return `${m.mean.toFixed(3)} [${m.low.toFixed(3)}, ${m.high.toFixed(3)}]`;
}

/** A markdown table, one row per retriever × language; generation columns when the rows have them. */
export function summaryMarkdown(rows: readonly SummaryRow[], title: string): string {
  const gen = rows.some((r) => r.editSimilarity !== undefined);
  const head = `| retriever | language | tasks | identifier recall [95% CI] (n) | gold-line hit [95% CI] | context tokens | retrieval ms p50 |${gen ? ' exact match [95% CI] | edit similarity [95% CI] |' : ''}`;
  const rule = `|---|---|---:|---|---|---:|---:|${gen ? '---|---|' : ''}`;
  const body = rows.map((r) => {
    const base = `| ${r.retriever} | ${r.language} | ${r.tasks} | ${ci(r.identifierRecall)} (${r.identifierRecall.n}) | ${ci(r.goldLineHit)} | ${Math.round(r.meanContextTokens)} | ${r.retrievalMsP50.toFixed(1)} |`;
    if (!gen) return base;
    return `${base} ${r.exactMatch ? ci(r.exactMatch) : '–'} | ${r.editSimilarity ? ci(r.editSimilarity) : '–'} |`;
  });
  return `### ${title}\n\n${[head, rule, ...body].join('\n')}\n`;
}
