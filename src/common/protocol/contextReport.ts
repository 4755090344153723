/**
 * What a request put in front of the model, and what it left out. Built by the context module, shown by
 * the chat view's "Context" section and by "Show Context of Last Request".
 */
export type ContextItemStatus = 'included' | 'collapsed' | 'dropped';

export interface ContextItem {
  /** Workspace-relative path as shown to the user (`folder/path` in a multi-root workspace). */
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  /** Retrieval score (cosine similarity of the hashed encoder), higher is better. */
  readonly score: number;
  readonly status: ContextItemStatus;
  /** Why it has this status: `fits`, `signatures only: budget`, `over budget`, `in the cursor window`, ... */
  readonly reason: string;
  /** Characters this item used in the prompt (0 when dropped). */
  readonly chars: number;
  /** Enclosing symbol path, `class A > method b`, when known. */
  readonly symbol?: string;
}

export type ContextSurface = 'completion' | 'chat';

export interface ContextReport {
  readonly surface: ContextSurface;
  /** The retrieval query (the question, or the code around the cursor). */
  readonly query: string;
  readonly budgetChars: number;
  readonly usedChars: number;
  readonly items: readonly ContextItem[];
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Set when retrieval was not possible (`index not ready`, ...). */
  readonly note?: string;
}

export function countByStatus(report: Pick<ContextReport, 'items'>): Record<ContextItemStatus, number> {
  const counts: Record<ContextItemStatus, number> = { included: 0, collapsed: 0, dropped: 0 };
  for (const item of report.items) counts[item.status]++;
  return counts;
}
