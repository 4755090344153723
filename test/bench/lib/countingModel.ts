/**
 * A stand-in for the decoder's compute in the prefill benchmark: the I/O of a one-layer model with the real
 * model's head dimension (so chunk caches can be re-rotated with its RoPE) and vocabulary, returning zeros.
 * Everything around it is the real runtime (OnnxDecoder: prefix cache, chunk cache, prefill loop, stats), so
 * the counts of prefilled tokens are exact; only the arithmetic is skipped.
 */
import { Tensor } from 'onnxruntime-node';
import type { DecoderConfig } from '../../../src/common/generate/modelConfig.ts';
import type { DecoderModel, ForwardResult, LogitsWanted } from '../../../src/node/generate/decoderSession.ts';
import { KvCache, type KvLayout } from '../../../src/node/generate/kvCache.ts';

export class CountingModel implements DecoderModel {
  readonly layout: KvLayout;
  readonly vocabSize: number;
  /** Tokens run through forward passes, all passes. */
  tokens = 0;

  constructor(config: DecoderConfig) {
    this.layout = { pastNames: ['past_key_values.0.key', 'past_key_values.0.value'], presentNames: ['present.0.key', 'present.0.value'], kvHeads: 1, headDim: config.rope.headDim, type: 'float32' };
    this.vocabSize = config.vocabSize;
  }

  forward(ids: readonly number[], _positions: readonly number[], cache: KvCache, logits: LogitsWanted): Promise<ForwardResult> {
    this.tokens += ids.length;
    const total = cache.length + ids.length;
    const dims = [1, 1, total, this.layout.headDim];
    const zeros = (): Tensor => new Tensor('float32', new Float32Array(total * this.layout.headDim), dims);
    const next = KvCache.fromOutputs(this.layout, { 'present.0.key': zeros(), 'present.0.value': zeros() });
    const rows = logits === 'none' ? 0 : logits === 'last' ? 1 : ids.length;
    return Promise.resolve({ logits: new Float32Array(rows * this.vocabSize), rows, cache: next });
  }
}
