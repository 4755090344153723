import { Tensor } from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';
import { meanPoolNormalized } from '../../common/encode/meanPool.ts';
import type { EncodedText } from './encoderTokenizer.ts';
import { ENCODER_OUTPUT, type EncoderGraph } from './encoderGraph.ts';

/** A batch padded (on the right, with id 0 and mask 0) to its longest row. */
export interface PaddedBatch {
  readonly batch: number;
  readonly seq: number;
  readonly feeds: Record<string, Tensor>;
  readonly mask: Uint8Array;
}

/** Feeds for one batch; `token_type_ids` only when the graph takes it. */
export function padBatch(rows: readonly EncodedText[], graph: Pick<EncoderGraph, 'hasTokenTypes'>): PaddedBatch {
  const batch = rows.length;
  const seq = Math.max(1, ...rows.map((r) => r.ids.length));
  const ids = new BigInt64Array(batch * seq);
  const attention = new BigInt64Array(batch * seq);
  const types = graph.hasTokenTypes ? new BigInt64Array(batch * seq) : undefined;
  const mask = new Uint8Array(batch * seq);
  rows.forEach((r, b) => {
    for (let s = 0; s < r.ids.length; s++) {
      ids[b * seq + s] = BigInt(r.ids[s]!);
      attention[b * seq + s] = 1n;
      mask[b * seq + s] = 1;
      if (types) types[b * seq + s] = BigInt(r.typeIds[s] ?? 0);
    }
  });
  const dims = [batch, seq];
  const feeds: Record<string, Tensor> = { input_ids: new Tensor('int64', ids, dims), attention_mask: new Tensor('int64', attention, dims) };
  if (types) feeds['token_type_ids'] = new Tensor('int64', types, dims);
  return { batch, seq, feeds, mask };
}

/**
 * Runs one padded batch: its rows mean-pooled and L2-normalised (`batch × dim` floats), and the
 * milliseconds spent in session.run.
 */
export async function runBatch(session: InferenceSession, graph: EncoderGraph, padded: PaddedBatch): Promise<{ vectors: Float32Array; runMs: number }> {
  const t0 = performance.now();
  const out = await session.run(padded.feeds, [ENCODER_OUTPUT]);
  const runMs = performance.now() - t0;
  const hidden = out[ENCODER_OUTPUT] as Tensor;
  const [b, s, d] = hidden.dims;
  if (b !== padded.batch || s !== padded.seq || d !== graph.dim) {
    throw new Error(`${ENCODER_OUTPUT} came back [${hidden.dims.join(', ')}], expected [${padded.batch}, ${padded.seq}, ${graph.dim}]`);
  }
  const vectors = meanPoolNormalized(hidden.data as Float32Array, padded.mask, { batch: padded.batch, seq: padded.seq, dim: graph.dim });
  hidden.dispose();
  return { vectors, runMs };
}
