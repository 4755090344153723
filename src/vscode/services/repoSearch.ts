import type { CancellationToken } from '../../common/cancellation.ts';
import type { Chunk } from '../../common/chunk/chunk.ts';
import type { WorkerHit } from '../../node/workers/indexWorker.ts';

/**
 * A retrieved chunk of the workspace, ready to be placed in a prompt: the index worker's hit, with `path` as
 * the user sees it (`folder/path` in a multi-root workspace). `chunk` keeps its folder-relative path and may
 * be absent (then only the `full` level can be rendered).
 */
export type RetrievedChunk = Omit<WorkerHit, 'chunk'> & { readonly chunk?: Chunk };

export interface SearchOutcome {
  readonly hits: readonly RetrievedChunk[];
  /** Why there are no or partial results (`index not ready`, ...). */
  readonly note?: string;
}

/** What the surfaces need from the workspace index. Never rejects except with a cancellation. */
export interface RepoSearch {
  search(query: string, k: number, token: CancellationToken): Promise<SearchOutcome>;
}

export type IndexStatus = 'disabled' | 'noFolder' | 'waiting' | 'indexing' | 'ready' | 'paused' | 'error';

export interface IndexState {
  readonly status: IndexStatus;
  readonly files: number;
  readonly chunks: number;
  /** Set while indexing. */
  readonly progress?: { readonly folder: string; readonly phase: string; readonly done: number; readonly total: number };
  /** True while a folder without any stored index is being indexed (the cancellable notification). */
  readonly firstIndex: boolean;
  readonly error?: string;
}
