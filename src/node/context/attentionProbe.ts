/**
 * Captures what the attention-space estimate needs from a local decoder: one forward pass over a prompt
 * returns every layer's keys (`present.N.key`) and, from a model exported with query outputs
 * (scripts/models/buildAttentionProbe.py: `queries.N`, after RoPE), the queries of the last prompt tokens.
 * A graph without query outputs falls back to key–key similarity: the last tokens' own keys stand in for their
 * queries (each query head takes its KV head's key), which `queriesFrom: 'keys'` reports.
 */
import type { Tensor } from 'onnxruntime-node';
import { throwIfCancelled, type CancellationToken } from '../../common/cancellation.ts';
import type { LayerAttention } from '../../common/context/attentionTypes.ts';
import type { DecoderConfig } from '../../common/generate/modelConfig.ts';
import type { DecoderSession } from '../generate/decoderSession.ts';
import { KvCache } from '../generate/kvCache.ts';

export interface ProbePrompt {
  readonly ids: readonly number[];
  readonly positions: readonly number[];
  /** Chunk of each token, -1 outside chunks. */
  readonly chunkOf: Int32Array;
  readonly chunks: number;
  /** How many of the last prompt tokens ask (the cursor window's end). */
  readonly queryCount: number;
}

export interface AttentionCapture {
  readonly layers: readonly LayerAttention[];
  readonly queriesFrom: 'graph' | 'keys';
}

export function hasQueryOutputs(session: DecoderSession, layers: number): boolean {
  return Array.from({ length: layers }, (_, i) => `queries.${i}`).every((n) => session.session.outputNames.includes(n));
}

function floats(t: Tensor): Float32Array {
  if (!(t.data instanceof Float32Array)) throw new Error(`attention capture needs float32 tensors, got ${t.type}`);
  return t.data;
}

/** Rows [from, from + n) of every head of a [1, heads, length, d] tensor, as [heads, n, d]. */
function lastRows(data: Float32Array, heads: number, length: number, d: number, n: number): Float32Array {
  const out = new Float32Array(heads * n * d);
  for (let h = 0; h < heads; h++) out.set(data.subarray((h * length + length - n) * d, (h * length + length) * d), h * n * d);
  return out;
}

/** Key proxies for queries: head h's query j is KV head ⌊h/group⌋'s key of the same token. */
function keyProxies(keys: Float32Array, c: DecoderConfig, length: number, n: number): Float32Array {
  const last = lastRows(keys, c.kvHeads, length, c.headDim, n);
  const out = new Float32Array(c.heads * n * c.headDim);
  const group = c.heads / c.kvHeads;
  for (let h = 0; h < c.heads; h++) out.set(last.subarray(Math.floor(h / group) * n * c.headDim, (Math.floor(h / group) + 1) * n * c.headDim), h * n * c.headDim);
  return out;
}

export async function captureAttention(session: DecoderSession, config: DecoderConfig, p: ProbePrompt, token?: CancellationToken): Promise<AttentionCapture> {
  throwIfCancelled(token);
  const graph = hasQueryOutputs(session, config.layers);
  const names = Array.from({ length: config.layers }, (_, i) => [`present.${i}.key`, ...(graph ? [`queries.${i}`] : [])]).flat();
  const out = await session.run(p.ids, p.positions, KvCache.empty(session.layout), names);
  const length = p.ids.length;
  const n = Math.min(p.queryCount, length);
  const layers = Array.from({ length: config.layers }, (_, i): LayerAttention => {
    const keys = floats(out[`present.${i}.key`]!);
    const queries = graph ? lastRows(floats(out[`queries.${i}`]!), config.heads, length, config.headDim, n) : keyProxies(keys, config, length, n);
    return { heads: config.heads, kvHeads: config.kvHeads, headDim: config.headDim, length, keys, queryCount: n, queries, chunkOf: p.chunkOf, chunks: p.chunks };
  });
  return { layers, queriesFrom: graph ? 'graph' : 'keys' };
}
