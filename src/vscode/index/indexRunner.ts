import fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { isCancellationError } from '../../common/cancellation.ts';
import type { Logger } from '../../common/log.ts';
import type { IndexProgress, IndexSummary } from '../../node/indexer/repositoryIndexer.ts';
import type { Config } from '../config.ts';
import type { IndexState } from '../services/repoSearch.ts';
import type { IndexWorkerClient } from './indexWorkerClient.ts';
import { WorkerCrashedError } from './indexWorkerClient.ts';

export interface FolderEntry {
  readonly key: string;
  readonly folder: vscode.WorkspaceFolder;
  readonly indexDir: string;
  /** The store's database file: it exists once anything was committed. */
  readonly databaseFile: string;
  /** A usable stored index exists (searchable). */
  hasIndex: boolean;
  /** Needs an indexing run. */
  dirty: boolean;
  /** Delete the stored index before the next run. */
  fresh: boolean;
  crashes: number;
  summary?: IndexSummary;
  error?: string | undefined;
}

export interface IndexRunnerDeps {
  readonly client: IndexWorkerClient;
  readonly config: Config;
  readonly log: Logger;
  readonly folders: Map<string, FolderEntry>;
  readonly changed: () => void;
}

interface Running {
  readonly entry: FolderEntry;
  readonly source: vscode.CancellationTokenSource;
  readonly first: boolean;
  progress?: IndexProgress;
}

const MAX_CRASH_RETRIES = 2;

/** Runs one indexing job at a time over the dirty folders, until none is left or it is paused. */
export class IndexRunner {
  private readonly deps: IndexRunnerDeps;
  private running: Running | undefined;
  private loop: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  private disposed = false;
  paused = false;

  constructor(deps: IndexRunnerDeps) {
    this.deps = deps;
  }

  schedule(): void {
    if (this.loop) return;
    const runnable = [...this.deps.folders.values()].some((e) => e.dirty && !e.error);
    if (!runnable || this.paused || this.disposed || !this.deps.config.get('index.enabled')) return this.settle();
    this.loop = this.drain().finally(() => {
      this.loop = undefined;
      this.schedule();
    });
    this.deps.changed();
  }

  pause(): void {
    this.paused = true;
    this.cancelRunning();
    this.deps.changed();
  }

  resume(): void {
    this.paused = false;
    this.schedule();
    this.deps.changed();
  }

  cancelRunning(): void {
    this.running?.source.cancel();
  }

  remove(key: string): void {
    if (this.running?.entry.key === key) this.running.source.cancel();
    this.deps.folders.delete(key);
  }

  whenIdle(): Promise<void> {
    if (!this.loop) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  state(enabled: boolean): IndexState {
    const entries = [...this.deps.folders.values()];
    const files = entries.reduce((n, e) => n + (e.summary?.files ?? 0), 0);
    const chunks = entries.reduce((n, e) => n + (e.summary?.chunks ?? 0), 0);
    const base = { files, chunks, firstIndex: this.running?.first ?? false };
    const error = entries.find((e) => e.error)?.error;
    if (!enabled) return { ...base, status: 'disabled' };
    if (entries.length === 0) return { ...base, status: 'noFolder' };
    if (this.paused) return { ...base, status: 'paused' };
    if (this.running) {
      const p = this.running.progress;
      const progress = { folder: this.running.entry.folder.name, phase: p?.phase ?? 'scan', done: p?.done ?? 0, total: p?.total ?? 0 };
      return { ...base, status: 'indexing', progress };
    }
    if (error) return { ...base, status: 'error', error };
    return { ...base, status: entries.some((e) => e.dirty) ? 'waiting' : 'ready' };
  }

  dispose(): void {
    this.disposed = true;
    this.cancelRunning();
    this.settle();
  }

  private settle(): void {
    if (this.loop) return;
    for (const w of this.idleWaiters.splice(0)) w();
    this.deps.changed();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = [...this.deps.folders.values()].find((e) => e.dirty && !e.error);
      if (!next || this.paused || this.disposed) return;
      next.dirty = false;
      await this.runOne(next);
    }
  }

  private async runOne(entry: FolderEntry): Promise<void> {
    const { client, config, log } = this.deps;
    const source = new vscode.CancellationTokenSource();
    const running: Running = { entry, source, first: !entry.hasIndex || entry.fresh };
    this.running = running;
    const fresh = entry.fresh;
    entry.fresh = false;
    const job = {
      root: entry.folder.uri.fsPath, indexDir: entry.indexDir, fresh,
      maxFileBytes: config.get('index.maxFileBytes'), chunkTokens: config.get('index.chunkTokens'), extraExcludes: config.excludesFor(entry.folder.uri),
      ...(config.get('models.encoderPath').trim() ? { encoderPath: config.get('models.encoderPath').trim() } : {}),
    };
    try {
      log.info(`indexing ${entry.folder.name}${fresh ? ' (from scratch)' : ''}`);
      this.deps.changed();
      entry.summary = await client.index(job, (p) => ((running.progress = p), this.deps.changed()), source.token);
      entry.hasIndex = true;
      entry.crashes = 0;
    } catch (e) {
      this.onFailure(entry, e);
      entry.hasIndex = await exists(entry.databaseFile); // a cancelled run commits what it chunked
    } finally {
      this.running = undefined;
      source.dispose();
      this.deps.changed();
    }
  }

  private onFailure(entry: FolderEntry, e: unknown): void {
    if (isCancellationError(e)) {
      // paused, or superseded by a newer request: run again on resume, resuming from what was committed
      // (a fresh run deleted the old index first, so the rerun need not start from scratch again)
      entry.dirty = true;
      return;
    }
    if (e instanceof WorkerCrashedError && ++entry.crashes <= MAX_CRASH_RETRIES) {
      this.deps.log.warn(`indexing ${entry.folder.name} was interrupted (${e.message}); retrying`);
      entry.dirty = true;
      return;
    }
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    if (entry.dirty) {
      // a settings change or a file change arrived during the run: run again with them before calling it failed
      this.deps.log.warn(`indexing ${entry.folder.name} failed (${message}); running again with the changes made meanwhile`);
      return;
    }
    entry.error = message;
    this.deps.log.error(`indexing ${entry.folder.name} failed`, e);
  }
}

export async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
