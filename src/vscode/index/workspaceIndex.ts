import { createHash } from 'node:crypto';
import path from 'node:path';
import * as vscode from 'vscode';
import type { CancellationToken } from '../../common/cancellation.ts';
import { isCancellationError } from '../../common/cancellation.ts';
import type { Logger } from '../../common/log.ts';
import type { IndexSummary } from '../../node/indexer/repositoryIndexer.ts';
import { storeDirFor } from '../../node/indexer/indexSettings.ts';
import { DATABASE_FILE } from '../../node/store/indexManifest.ts';
import type { Config } from '../config.ts';
import type { IndexState, RepoSearch, RetrievedChunk, SearchOutcome } from '../services/repoSearch.ts';
import type { IndexWorkerClient } from './indexWorkerClient.ts';
import { NoIndexError, WorkerCrashedError } from './indexWorkerClient.ts';
import { exists, IndexRunner, type FolderEntry } from './indexRunner.ts';

export interface WorkspaceIndexDeps {
  readonly client: IndexWorkerClient;
  readonly config: Config;
  readonly log: Logger;
  /** Where index folders live (`context.storageUri`). */
  readonly storageDir: string;
}

/**
 * The index of every folder of the workspace: which folders exist, which need (re)indexing, and search
 * across them. Runs are serialised by an `IndexRunner`; pause cancels the running job (what it chunked is
 * committed) and resume continues from there.
 */
export class WorkspaceIndex implements RepoSearch, vscode.Disposable {
  private readonly deps: WorkspaceIndexDeps;
  private readonly folders = new Map<string, FolderEntry>();
  private readonly runner: IndexRunner;
  private readonly emitter = new vscode.EventEmitter<IndexState>();
  readonly onDidChangeState = this.emitter.event;

  constructor(deps: WorkspaceIndexDeps) {
    this.deps = deps;
    this.runner = new IndexRunner({ client: deps.client, config: deps.config, log: deps.log, folders: this.folders, changed: () => this.fire() });
  }

  get state(): IndexState {
    return this.runner.state(this.deps.config.get('index.enabled'));
  }

  get paused(): boolean {
    return this.runner.paused;
  }

  /** Brings the folder list in line with the workspace; new folders are indexed. */
  async setFolders(folders: readonly vscode.WorkspaceFolder[]): Promise<void> {
    const wanted = new Map(folders.filter((f) => f.uri.scheme === 'file').map((f) => [f.uri.toString(), f]));
    for (const key of [...this.folders.keys()]) if (!wanted.has(key)) this.runner.remove(key);
    for (const [key, folder] of wanted) {
      if (this.folders.has(key)) continue;
      const indexDir = path.join(this.deps.storageDir, 'index', createHash('sha1').update(key).digest('hex').slice(0, 16));
      const databaseFile = path.join(storeDirFor(folder.uri.fsPath, indexDir), DATABASE_FILE);
      const hasIndex = await exists(databaseFile);
      this.folders.set(key, { key, folder, indexDir, databaseFile, hasIndex, dirty: true, fresh: false, crashes: 0 });
    }
    this.runner.schedule();
  }

  /** Files changed in this folder: reindex it (incrementally: only changed files are read again). */
  markDirty(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const entry = folder && this.folders.get(folder.uri.toString());
    if (!entry) return;
    entry.dirty = true;
    this.runner.schedule();
  }

  /** Settings that change what is indexed: every folder again. */
  refreshAll(fresh = false): void {
    for (const e of this.folders.values()) {
      e.dirty = true;
      e.fresh ||= fresh;
      e.crashes = 0;
      e.error = undefined;
    }
    this.runner.cancelRunning();
    this.runner.schedule();
  }

  pause(): void {
    this.runner.pause();
  }

  resume(): void {
    this.runner.resume();
  }

  /** Resolves when no indexing is running or queued (or indexing is paused or disabled). */
  whenIdle(): Promise<void> {
    return this.runner.whenIdle();
  }

  async search(query: string, k: number, token: CancellationToken): Promise<SearchOutcome> {
    const multi = this.folders.size > 1;
    const ready = [...this.folders.values()].filter((e) => e.hasIndex);
    if (ready.length === 0) return { hits: [], note: this.folders.size === 0 ? 'no folder is open' : 'the index is not ready yet' };
    const chunkTokens = this.deps.config.get('index.chunkTokens');
    const encoderPath = this.deps.config.get('models.encoderPath').trim();
    const lists = await Promise.all(
      ready.map(async (e) => {
        try {
          const hits = await this.deps.client.search({ root: e.folder.uri.fsPath, indexDir: e.indexDir, chunkTokens, query, k, ...(encoderPath ? { encoderPath } : {}) }, token);
          return hits.map((h): RetrievedChunk => ({ ...h, path: multi ? `${e.folder.name}/${h.path}` : h.path }));
        } catch (err) {
          if (isCancellationError(err)) throw err;
          if (!(err instanceof NoIndexError || err instanceof WorkerCrashedError)) this.deps.log.warn(`search in ${e.folder.name} failed: ${String(err)}`);
          return [];
        }
      }),
    );
    const hits = lists.flat().sort((a, b) => b.score - a.score).slice(0, k);
    return this.state.status === 'indexing' ? { hits, note: 'indexing is in progress; results may be partial' } : { hits };
  }

  summaries(): { folder: string; summary?: IndexSummary; error?: string }[] {
    return [...this.folders.values()].map((e) => ({ folder: e.folder.name, ...(e.summary ? { summary: e.summary } : {}), ...(e.error ? { error: e.error } : {}) }));
  }

  dispose(): void {
    this.runner.dispose();
    this.emitter.dispose();
  }

  private fire(): void {
    this.emitter.fire(this.state);
  }
}
