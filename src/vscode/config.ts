import * as vscode from 'vscode';

/** Every `squeeze.*` setting, typed. Reads are live: a change applies without a restart. */
export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<readonly string[]>();
  private readonly subscription: vscode.Disposable;
  /** Fires with the changed `squeeze.*` keys. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      const changed = ALL_KEYS.filter((k) => e.affectsConfiguration(`squeeze.${k}`));
      if (changed.length > 0) this.emitter.fire(changed);
    });
  }

  private get<T>(key: string, fallback: T): T {
    return vscode.workspace.getConfiguration('squeeze').get<T>(key, fallback);
  }

  get maxFileBytes(): number {
    return this.get('index.maxFileBytes', 1_000_000);
  }
  get chunkTokens(): number {
    return this.get('index.chunkTokens', 256);
  }
  /** `squeeze.index.extraExcludes` plus the enabled globs of VS Code's own `files.exclude`. */
  get excludes(): string[] {
    const own = this.get<string[]>('index.extraExcludes', []);
    const filesExclude = vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude', {});
    return [...own, ...Object.entries(filesExclude).filter(([, on]) => on).map(([glob]) => glob)];
  }

  /** The effective settings, for the log. */
  snapshot(): Record<string, unknown> {
    return { maxFileBytes: this.maxFileBytes, chunkTokens: this.chunkTokens, excludes: this.excludes };
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

const ALL_KEYS = ['index.maxFileBytes', 'index.chunkTokens', 'index.extraExcludes'] as const;
