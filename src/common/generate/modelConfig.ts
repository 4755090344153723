/**
 * Reads what generation needs from a Hugging Face decoder `config.json` (+ `generation_config.json`):
 * shapes, the trained context length, RoPE parameters and eos ids. Pure; the node layer reads the files and
 * turns a `ConfigFieldError` into an error that names the file.
 */
export interface RopeParams {
  readonly theta: number;
  readonly headDim: number;
  /** `rope_scaling` as written (type, factor, …), or null. */
  readonly scaling: Readonly<Record<string, unknown>> | null;
}

export interface DecoderConfig {
  readonly modelType: string;
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  /** Trained context length: positions must stay below it. */
  readonly contextLength: number;
  readonly rope: RopeParams;
  readonly eosTokenIds: readonly number[];
  readonly bosTokenId: number | undefined;
}

export class ConfigFieldError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ConfigFieldError';
    this.field = field;
  }
}

type Json = Readonly<Record<string, unknown>>;

function asObject(v: unknown, field: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigFieldError(field, 'expected a JSON object');
  return v as Json;
}

function positiveInt(o: Json, names: readonly string[], fallback?: number): number {
  for (const n of names) {
    const v = o[n];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new ConfigFieldError(n, `expected a positive integer, got ${JSON.stringify(v)}`);
    return v;
  }
  if (fallback !== undefined) return fallback;
  throw new ConfigFieldError(names[0]!, 'missing');
}

function tokenIds(v: unknown, field: string): number[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
    throw new ConfigFieldError(field, `expected a token id or a list of them, got ${JSON.stringify(v)}`);
  }
  return list as number[];
}

function ropeParams(c: Json, headDim: number): RopeParams {
  const nested = c['rope_parameters'] && typeof c['rope_parameters'] === 'object' ? (c['rope_parameters'] as Json) : {};
  const theta = c['rope_theta'] ?? nested['rope_theta'] ?? 10000;
  if (typeof theta !== 'number' || !(theta > 0)) throw new ConfigFieldError('rope_theta', `expected a positive number, got ${JSON.stringify(theta)}`);
  const raw = c['rope_scaling'];
  const scaling = raw === undefined || raw === null ? null : asObject(raw, 'rope_scaling');
  return { theta, headDim, scaling };
}

/** Parses a decoder config; throws ConfigFieldError naming the first bad field. */
export function parseDecoderConfig(config: unknown, generationConfig?: unknown): DecoderConfig {
  const c = asObject(config, 'config');
  const gen = generationConfig === undefined ? {} : asObject(generationConfig, 'generation_config');
  const hiddenSize = positiveInt(c, ['hidden_size', 'n_embd']);
  const heads = positiveInt(c, ['num_attention_heads', 'n_head']);
  const headDim = positiveInt(c, ['head_dim'], Math.floor(hiddenSize / heads));
  const eos = new Set([...tokenIds(c['eos_token_id'], 'eos_token_id'), ...tokenIds(gen['eos_token_id'], 'generation_config.eos_token_id')]);
  const bos = tokenIds(c['bos_token_id'] ?? gen['bos_token_id'], 'bos_token_id')[0];
  return {
    modelType: typeof c['model_type'] === 'string' ? c['model_type'] : 'unknown',
    vocabSize: positiveInt(c, ['vocab_size']),
    hiddenSize,
    layers: positiveInt(c, ['num_hidden_layers', 'n_layer']),
    heads,
    kvHeads: positiveInt(c, ['num_key_value_heads'], heads),
    headDim,
    contextLength: positiveInt(c, ['max_position_embeddings', 'n_positions', 'max_sequence_length']),
    rope: ropeParams(c, headDim),
    eosTokenIds: [...eos],
    bosTokenId: bos,
  };
}
