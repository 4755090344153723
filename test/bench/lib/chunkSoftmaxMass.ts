/**
 * Chunk masses of a softmax taken over the chunk keys only (every other key left out of the partition): what a
 * chunk-keys-only estimator would give with no estimation error at all, measured against exact attention to
 * show what leaving the rest of the prompt out of the partition costs by itself.
 */
import { dotAt, groupSize, keyOffset, queryOffset, type LayerAttention } from '../../../src/common/context/attentionTypes.ts';

export function chunkSoftmaxMass(a: LayerAttention): Float64Array {
  const mass = new Float64Array(a.chunks);
  const group = groupSize(a);
  const positions = Array.from({ length: a.length }, (_, t) => t).filter((t) => a.chunkOf[t]! >= 0);
  const logits = new Float64Array(positions.length);
  for (let h = 0; h < a.heads; h++) {
    for (let j = 0; j < a.queryCount; j++) {
      const qo = queryOffset(a, h, j);
      let max = -Infinity;
      positions.forEach((t, i) => {
        logits[i] = dotAt(a.queries, qo, a.keys, keyOffset(a, Math.floor(h / group), t), a.headDim) / Math.sqrt(a.headDim);
        max = Math.max(max, logits[i]!);
      });
      let z = 0;
      for (const l of logits) z += Math.exp(l - max);
      positions.forEach((t, i) => { mass[a.chunkOf[t]!]! += Math.exp(logits[i]! - max) / z; });
    }
  }
  return mass;
}
