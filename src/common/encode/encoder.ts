import type { CancellationToken } from '../cancellation.ts';

/**
 * Turns texts into L2-normalised vectors of a fixed dimension. `id` names the encoder and every
 * parameter that changes its output (model, precision, dimension): an index never mixes two ids.
 */
export interface Encoder {
  readonly id: string;
  readonly dim: number;
  encode(texts: readonly string[], token?: CancellationToken): Promise<Float32Array[]>;
}
