/**
 * What differs between the OpenAI-compatible servers we support, as data. Detection is best-effort and
 * reads the `GET /v1/models` answer and the `Server` header; a user can always force a profile.
 */
export const SERVER_KINDS = ['ollama', 'llamacpp', 'vllm', 'lmstudio', 'generic'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export interface ServerProfile {
  readonly kind: ServerKind;
  readonly label: string;
  /** Where the server listens by default, with the OpenAI-compatible base path. */
  readonly defaultEndpoint: string;
  /** `/v1/completions` honours a `suffix` field (server-side FIM through the model's template). */
  readonly supportsSuffix: boolean;
  /** Requests must name a model (`model` field); when false the loaded model is used. */
  readonly requiresModel: boolean;
  /** Signs in `/v1/models`: `owned_by` values, extra keys on a model entry, the `Server` header. */
  readonly detect: {
    readonly ownedBy?: readonly string[];
    readonly modelKeys?: readonly string[];
    readonly serverHeader?: RegExp;
  };
  readonly notes: string;
}

export const SERVER_PROFILES: Readonly<Record<ServerKind, ServerProfile>> = {
  ollama: {
    kind: 'ollama',
    label: 'Ollama',
    defaultEndpoint: 'http://127.0.0.1:11434/v1',
    supportsSuffix: true,
    requiresModel: true,
    detect: { ownedBy: ['library', 'ollama'] },
    notes:
      'OpenAI compatibility lives under /v1 (the native API is /api). /v1/completions applies the model template ' +
      'and takes `suffix`, which it turns into the model\'s own FIM prompt. Model names look like `qwen2.5-coder:1.5b`.',
  },
  llamacpp: {
    kind: 'llamacpp',
    label: 'llama.cpp server',
    defaultEndpoint: 'http://127.0.0.1:8080/v1',
    supportsSuffix: false,
    requiresModel: false,
    detect: { ownedBy: ['llamacpp'], modelKeys: ['meta'], serverHeader: /llama\.cpp/i },
    notes:
      'Serves one loaded model; `model` is ignored. /v1/completions has no `suffix` (FIM needs the formatted prompt; ' +
      'the native /infill endpoint is not used). Special tokens in the prompt text are parsed.',
  },
  vllm: {
    kind: 'vllm',
    label: 'vLLM',
    defaultEndpoint: 'http://127.0.0.1:8000/v1',
    supportsSuffix: false,
    requiresModel: true,
    detect: { ownedBy: ['vllm'], modelKeys: ['max_model_len'] },
    notes: 'The `model` field must match the served model name. `suffix` is rejected, so FIM uses the formatted prompt.',
  },
  lmstudio: {
    kind: 'lmstudio',
    label: 'LM Studio',
    defaultEndpoint: 'http://127.0.0.1:1234/v1',
    supportsSuffix: false,
    requiresModel: true,
    detect: { ownedBy: ['organization_owner'] },
    notes: 'Lists downloaded models under /v1/models; FIM uses the formatted prompt.',
  },
  generic: {
    kind: 'generic',
    label: 'OpenAI-compatible server',
    defaultEndpoint: 'http://127.0.0.1:8000/v1',
    supportsSuffix: false,
    requiresModel: true,
    detect: {},
    notes: 'Unknown server: plain OpenAI fields only.',
  },
};

export interface ListedModel {
  readonly id: string;
  readonly ownedBy?: string;
  /** Keys of the model entry beyond the OpenAI ones, kept for detection. */
  readonly keys: readonly string[];
}

/** Picks the profile whose signs match the models list or the Server header; `generic` otherwise. */
export function detectServerKind(models: readonly ListedModel[], serverHeader: string | undefined): ServerKind {
  for (const kind of SERVER_KINDS) {
    const d = SERVER_PROFILES[kind].detect;
    if (d.serverHeader && serverHeader && d.serverHeader.test(serverHeader)) return kind;
  }
  for (const kind of SERVER_KINDS) {
    const d = SERVER_PROFILES[kind].detect;
    if (models.some((m) => m.ownedBy !== undefined && (d.ownedBy ?? []).includes(m.ownedBy))) return kind;
    if (models.some((m) => (d.modelKeys ?? []).some((k) => m.keys.includes(k)))) return kind;
  }
  return 'generic';
}

/** Reads an OpenAI `{ data: [{ id, owned_by, ... }] }` models list; tolerates extra or missing fields. */
export function parseModelsList(json: unknown): ListedModel[] | undefined {
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return undefined;
  const out: ListedModel[] = [];
  for (const entry of data as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    if (typeof e.id !== 'string') continue;
    const keys = Object.keys(e).filter((k) => !['id', 'object', 'created', 'owned_by'].includes(k));
    out.push(typeof e.owned_by === 'string' ? { id: e.id, ownedBy: e.owned_by, keys } : { id: e.id, keys });
  }
  return out;
}
