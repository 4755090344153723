import { Tensor } from 'onnxruntime-node';

/** Shape of one past/present tensor: [batch = 1, kvHeads, sequence, headDim]. */
export interface KvLayout {
  /** Input names in model order (`past_key_values.N.key`, `.value`). */
  readonly pastNames: readonly string[];
  /** Output name for each past name (`present.N.key`, …). */
  readonly presentNames: readonly string[];
  readonly kvHeads: number;
  readonly headDim: number;
  readonly type: 'float32' | 'float16';
}

type KvData = Float32Array | Uint16Array;

/**
 * The key/value cache of one sequence, as the tensors the model returned. Immutable: `truncate` copies,
 * so a cache handed to a forward pass is never changed behind its back.
 */
export class KvCache {
  readonly layout: KvLayout;
  readonly length: number;
  private readonly tensors: readonly Tensor[];

  private constructor(layout: KvLayout, tensors: readonly Tensor[], length: number) {
    this.layout = layout;
    this.tensors = tensors;
    this.length = length;
  }

  static empty(layout: KvLayout): KvCache {
    const data = () => (layout.type === 'float16' ? new Uint16Array(0) : new Float32Array(0));
    const dims = [1, layout.kvHeads, 0, layout.headDim];
    return new KvCache(layout, layout.pastNames.map(() => new Tensor(layout.type, data(), dims)), 0);
  }

  /** The cache after a forward pass: the model's `present.*` outputs. */
  static fromOutputs(layout: KvLayout, outputs: Readonly<Record<string, Tensor>>): KvCache {
    const tensors = layout.presentNames.map((n) => {
      const t = outputs[n];
      if (!t) throw new Error(`the model returned no ${n}`);
      return t;
    });
    return new KvCache(layout, tensors, tensors[0]?.dims[2] ?? 0);
  }

  /** Feeds for the next forward pass. */
  feeds(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    this.layout.pastNames.forEach((n, i) => (out[n] = this.tensors[i]!));
    return out;
  }

  /** Bytes held by all tensors. */
  get bytes(): number {
    return this.length * bytesPerToken(this.layout);
  }

  /** The first `length` positions (copies along the sequence axis, head by head). */
  truncate(length: number): KvCache {
    if (length >= this.length) return this;
    if (length <= 0) return KvCache.empty(this.layout);
    const { kvHeads, headDim, type } = this.layout;
    const tensors = this.tensors.map((t) => {
      const src = t.data as KvData;
      const dst = src instanceof Float32Array ? new Float32Array(kvHeads * length * headDim) : new Uint16Array(kvHeads * length * headDim);
      for (let h = 0; h < kvHeads; h++) {
        const from = h * this.length * headDim;
        dst.set(src.subarray(from, from + length * headDim), h * length * headDim);
      }
      return new Tensor(type, dst, [1, kvHeads, length, headDim]);
    });
    return new KvCache(this.layout, tensors, length);
  }
}

export function bytesPerToken(layout: KvLayout): number {
  return layout.pastNames.length * layout.kvHeads * layout.headDim * (layout.type === 'float16' ? 2 : 4);
}
