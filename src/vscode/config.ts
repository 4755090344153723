import * as vscode from 'vscode';

export const BACKEND_KINDS = ['none', 'http', 'onnx'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];
export const SERVER_SETTINGS = ['auto', 'ollama', 'llamacpp', 'vllm', 'lmstudio', 'generic'] as const;
export type ServerSetting = (typeof SERVER_SETTINGS)[number];
export const PROVIDER_SETTINGS = ['auto', 'cuda', 'webgpu', 'cpu'] as const;
export type ProviderSettingValue = (typeof PROVIDER_SETTINGS)[number];

/** What a change of a setting requires: re-reading is enough for `live`; the others rebuild something. */
export type ConfigArea = 'backend' | 'index' | 'live';

/** Every `squeeze.*` key with its default and the area it belongs to. package.json documents the same keys. */
const KEYS = {
  'backend.kind': { fallback: 'none' as BackendKind, area: 'backend' },
  'backend.endpoint': { fallback: 'http://127.0.0.1:11434/v1', area: 'backend' },
  'backend.model': { fallback: '', area: 'backend' },
  'backend.server': { fallback: 'auto' as ServerSetting, area: 'backend' },
  'models.decoderPath': { fallback: '', area: 'backend' },
  'models.encoderPath': { fallback: '', area: 'index' },
  'models.executionProvider': { fallback: 'auto' as ProviderSettingValue, area: 'backend' },
  'inlineCompletions.enabled': { fallback: true, area: 'live' },
  'inlineCompletions.debounceMs': { fallback: 150, area: 'live' },
  'inlineCompletions.maxTokens': { fallback: 64, area: 'live' },
  'inlineCompletions.contextChars': { fallback: 2000, area: 'live' },
  'inlineCompletions.recentSnippets': { fallback: 3, area: 'live' },
  'context.budgetChars': { fallback: 12000, area: 'live' },
  'chat.maxTokens': { fallback: 768, area: 'live' },
  'index.enabled': { fallback: true, area: 'index' },
  'index.maxFileBytes': { fallback: 1_000_000, area: 'index' },
  'index.chunkTokens': { fallback: 256, area: 'index' },
  'index.extraExcludes': { fallback: [] as string[], area: 'index' },
} as const satisfies Record<string, { fallback: unknown; area: ConfigArea }>;

export type ConfigKey = keyof typeof KEYS;
type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T extends readonly string[] ? string[] : never;
type ValueOf<K extends ConfigKey> = Widen<(typeof KEYS)[K]['fallback']>;

export interface ConfigChange {
  readonly keys: readonly ConfigKey[];
  readonly areas: ReadonlySet<ConfigArea>;
}

/**
 * One typed view of the `squeeze.*` settings. Reads are live, so a change applies without a restart;
 * `onDidChange` tells which keys and areas changed so owners rebuild only what they must.
 */
export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ConfigChange>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      const keys = (Object.keys(KEYS) as ConfigKey[]).filter((k) => e.affectsConfiguration(`squeeze.${k}`));
      const filesExclude = e.affectsConfiguration('files.exclude');
      if (keys.length === 0 && !filesExclude) return;
      const areas = new Set<ConfigArea>(keys.map((k) => KEYS[k].area));
      if (filesExclude) areas.add('index');
      this.emitter.fire({ keys, areas });
    });
  }

  get<K extends ConfigKey>(key: K): ValueOf<K> {
    const fallback = KEYS[key].fallback as ValueOf<K>;
    const value = vscode.workspace.getConfiguration('squeeze').get<ValueOf<K>>(key, fallback);
    return typeof value === typeof fallback ? value : fallback;
  }

  async update<K extends ConfigKey>(key: K, value: ValueOf<K>, target = vscode.ConfigurationTarget.Global): Promise<void> {
    await vscode.workspace.getConfiguration('squeeze').update(key, value, target);
  }

  get backendKind(): BackendKind {
    const kind = this.get('backend.kind');
    return (BACKEND_KINDS as readonly string[]).includes(kind) ? (kind as BackendKind) : 'none';
  }
  get debounceMs(): number {
    return clamp(this.get('inlineCompletions.debounceMs'), 0, 5000);
  }
  /** `squeeze.index.extraExcludes` plus the enabled globs of VS Code's own `files.exclude` for that folder. */
  excludesFor(folder: vscode.Uri): string[] {
    const own = this.get('index.extraExcludes').filter((x): x is string => typeof x === 'string');
    const filesExclude = vscode.workspace.getConfiguration('files', folder).get<Record<string, unknown>>('exclude', {});
    return [...own, ...Object.entries(filesExclude).filter(([, on]) => on === true).map(([glob]) => glob)];
  }

  /** The effective settings, for the log. */
  snapshot(): Record<string, unknown> {
    return Object.fromEntries((Object.keys(KEYS) as ConfigKey[]).map((k) => [k, this.get(k)]));
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}
