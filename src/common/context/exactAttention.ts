/** Exact softmax attention mass per chunk: softmax(q·k/√d) over every key a query token sees, summed per chunk. */
import { dotAt, groupSize, keyOffset, queryOffset, type LayerAttention } from './attentionTypes.ts';

/** Mass per chunk summed over heads and query tokens (each query spreads 1 over all keys it attends to). */
export function exactChunkMass(a: LayerAttention): Float64Array {
  const mass = new Float64Array(a.chunks);
  const group = groupSize(a);
  const scale = 1 / Math.sqrt(a.headDim);
  const logits = new Float64Array(a.length);
  for (let h = 0; h < a.heads; h++) {
    const g = Math.floor(h / group);
    for (let j = 0; j < a.queryCount; j++) {
      const seen = a.length - a.queryCount + j + 1;
      const qo = queryOffset(a, h, j);
      let max = -Infinity;
      for (let t = 0; t < seen; t++) {
        logits[t] = dotAt(a.queries, qo, a.keys, keyOffset(a, g, t), a.headDim) * scale;
        if (logits[t]! > max) max = logits[t]!;
      }
      let z = 0;
      for (let t = 0; t < seen; t++) z += Math.exp(logits[t]! - max);
      for (let t = 0; t < seen; t++) {
        const c = a.chunkOf[t]!;
        if (c >= 0) mass[c]! += Math.exp(logits[t]! - max) / z;
      }
    }
  }
  return mass;
}
