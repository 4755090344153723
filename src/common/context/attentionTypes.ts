/**
 * One layer's attention over a prompt, as the attention-space estimate needs it: the cached keys of every
 * prompt token and the queries of the last prompt tokens (the cursor window), both after RoPE, and which
 * retrieved chunk each key belongs to. Layouts are those of the decoder's tensors with batch 1.
 */
export interface LayerAttention {
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  /** Prompt tokens (keys). */
  readonly length: number;
  /** [kvHeads, length, headDim]: a `present.N.key` tensor. */
  readonly keys: Float32Array;
  /** Query tokens: the last `queryCount` tokens of the prompt. */
  readonly queryCount: number;
  /** [heads, queryCount, headDim]. */
  readonly queries: Float32Array;
  /** Chunk of each key position, -1 outside every chunk. Chunk keys must come before the query tokens. */
  readonly chunkOf: Int32Array;
  readonly chunks: number;
}

/** Query heads per KV head (grouped-query attention): query head h reads KV head ⌊h / group⌋. */
export function groupSize(a: Pick<LayerAttention, 'heads' | 'kvHeads'>): number {
  if (a.heads % a.kvHeads !== 0) throw new Error(`${a.heads} query heads do not split over ${a.kvHeads} KV heads`);
  return a.heads / a.kvHeads;
}

/** Offset of key `t` of KV head `g`. */
export function keyOffset(a: LayerAttention, g: number, t: number): number {
  return (g * a.length + t) * a.headDim;
}

/** Offset of query `j` of head `h`. */
export function queryOffset(a: LayerAttention, h: number, j: number): number {
  return (h * a.queryCount + j) * a.headDim;
}

export function dotAt(x: Float32Array, xo: number, y: Float32Array, yo: number, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += x[xo + i]! * y[yo + i]!;
  return s;
}
