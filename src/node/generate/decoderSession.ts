import { Tensor } from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';
import type { DecoderConfig } from '../../common/generate/modelConfig.ts';
import { KvCache } from './kvCache.ts';
import type { KvLayout } from './kvCache.ts';

/** Which logits a forward pass should return: none (prefill pieces), the last row, or every row. */
export type LogitsWanted = 'none' | 'last' | 'all';

export interface ForwardResult {
  /** `rows × vocab` floats, row-major (empty for 'none'). */
  readonly logits: Float32Array;
  readonly rows: number;
  readonly cache: KvCache;
}

/** One decoder forward pass over the Optimum I/O contract. An interface so tests can wrap and count passes. */
export interface DecoderModel {
  readonly layout: KvLayout;
  readonly vocabSize: number;
  forward(ids: readonly number[], positions: readonly number[], cache: KvCache, logits: LogitsWanted): Promise<ForwardResult>;
}

/** Thrown when the ONNX graph does not have the decoder inputs/outputs; `file` names the model file. */
export class DecoderIoError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'DecoderIoError';
    this.file = file;
  }
}

function int64(values: readonly number[] | BigInt64Array, dims: number[]): Tensor {
  return new Tensor('int64', values instanceof BigInt64Array ? values : BigInt64Array.from(values, (v) => BigInt(v)), dims);
}

function halfToFloat(h: number): number {
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function toFloat32(t: Tensor, from: number, to: number): Float32Array {
  if (t.type === 'float32') return (t.data as Float32Array).slice(from, to);
  if (t.type === 'float16') return Float32Array.from((t.data as Uint16Array).subarray(from, to), halfToFloat);
  throw new Error(`unsupported logits type ${t.type}`);
}

function kvLayout(session: InferenceSession, config: DecoderConfig, file: string): KvLayout {
  const pastNames: string[] = [];
  const presentNames: string[] = [];
  for (let i = 0; i < config.layers; i++) {
    for (const kv of ['key', 'value']) {
      pastNames.push(`past_key_values.${i}.${kv}`);
      presentNames.push(`present.${i}.${kv}`);
    }
  }
  const missing = [...pastNames.filter((n) => !session.inputNames.includes(n)), ...presentNames.filter((n) => !session.outputNames.includes(n))];
  if (missing.length) throw new DecoderIoError(file, `not a decoder with a KV cache for ${config.layers} layers: missing ${missing.slice(0, 4).join(', ')}`);
  const meta = session.inputMetadata.find((m) => m.name === pastNames[0]);
  const dims = meta?.isTensor ? meta.shape : [];
  const dim = (i: number, fallback: number) => (typeof dims[i] === 'number' ? (dims[i] as number) : fallback);
  const type = meta?.isTensor && meta.type === 'float16' ? 'float16' : 'float32';
  return { pastNames, presentNames, kvHeads: dim(1, config.kvHeads), headDim: dim(3, config.headDim), type };
}

export class DecoderSession implements DecoderModel {
  readonly layout: KvLayout;
  readonly vocabSize: number;
  readonly session: InferenceSession;
  private readonly hasPositions: boolean;

  constructor(session: InferenceSession, config: DecoderConfig, file: string) {
    for (const n of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(n)) throw new DecoderIoError(file, `has no ${n} input (inputs: ${session.inputNames.slice(0, 6).join(', ')})`);
    }
    if (!session.outputNames.includes('logits')) throw new DecoderIoError(file, 'has no logits output');
    this.session = session;
    this.layout = kvLayout(session, config, file);
    this.vocabSize = config.vocabSize;
    this.hasPositions = session.inputNames.includes('position_ids');
  }

  async forward(ids: readonly number[], positions: readonly number[], cache: KvCache, logits: LogitsWanted): Promise<ForwardResult> {
    const n = ids.length;
    const fetches = logits === 'none' ? [...this.layout.presentNames] : ['logits', ...this.layout.presentNames];
    const out = await this.run(ids, positions, cache, fetches);
    const next = KvCache.fromOutputs(this.layout, out);
    if (logits === 'none') return { logits: new Float32Array(0), rows: 0, cache: next };
    const t = out['logits']!;
    const vocab = t.dims[2]!;
    const from = logits === 'last' ? (n - 1) * vocab : 0;
    return { logits: toFloat32(t, from, n * vocab), rows: logits === 'last' ? 1 : n, cache: next };
  }

  /** One forward pass returning the named outputs as they come (extra graph outputs such as `queries.N` too). */
  async run(ids: readonly number[], positions: readonly number[], cache: KvCache, fetches: readonly string[]): Promise<Record<string, Tensor>> {
    const n = ids.length;
    const total = cache.length + n;
    const feeds: Record<string, Tensor> = {
      input_ids: int64(ids, [1, n]),
      attention_mask: int64(new BigInt64Array(total).fill(1n), [1, total]),
      ...cache.feeds(),
    };
    if (this.hasPositions) feeds['position_ids'] = int64(positions, [1, n]);
    else if (positions.some((p, i) => p !== cache.length + i)) throw new Error('this model has no position_ids input: only sequential positions are possible');
    return this.session.run(feeds, [...fetches]);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
