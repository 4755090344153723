/**
 * The built-in encoder: identifier-aware code tokens, feature-hashed into `dim` signed buckets, sublinear
 * TF (1 + ln tf) times a per-bucket IDF, L2-normalised. No model, no download, deterministic.
 *
 * Because IDF is per bucket, the final vector is `normalise(termVector ⊙ idf)`: an index can keep the
 * term vectors and re-weight them when its IDF table changes, without tokenizing anything again.
 */
import type { CancellationToken } from '../cancellation.ts';
import { throwIfCancelled } from '../cancellation.ts';
import type { Encoder } from './encoder.ts';
import { codeTokens, countTokens, type CodeTokenOptions } from './codeTokens.ts';
import { murmur3 } from './hash32.ts';
import { DfCounter, idfWeights, type IdfTable } from './idfTable.ts';

/** Bump when tokens, hashing or weighting change: the id changes and every index is rebuilt. */
export const HASHED_ENCODER_VERSION = 1;
/** See docs/decisions.md: measured agreement with exact (unhashed) TF-IDF vs memory per chunk. */
export const DEFAULT_HASHED_DIM = 1024;

const BUCKET_SEED = 0x9e3779b1;
const SIGN_SEED = 0x85ebca77;

/** The bucket of `token` in a `dim`-wide hashed vector (where `termVector` adds it). */
export function hashedBucket(token: string, dim: number): number {
  return murmur3(token, BUCKET_SEED) % dim;
}
const CANCEL_CHECK_EVERY = 256;

export interface HashedEncoderOptions {
  readonly dim?: number;
  /** Fitted on the index's chunks; without one every bucket weighs 1. */
  readonly idf?: IdfTable;
  readonly tokens?: CodeTokenOptions;
}

export class HashedEncoder implements Encoder {
  readonly id: string;
  readonly dim: number;
  readonly idf: IdfTable | undefined;
  private readonly weights: Float32Array | undefined;
  private readonly tokenOptions: CodeTokenOptions;

  constructor(options: HashedEncoderOptions = {}) {
    this.dim = options.dim ?? DEFAULT_HASHED_DIM;
    if (!Number.isInteger(this.dim) || this.dim < 2) throw new Error(`Invalid dimension ${this.dim}`);
    if (options.idf && options.idf.dim !== this.dim) throw new Error(`IDF table has dimension ${options.idf.dim}, encoder ${this.dim}`);
    this.id = hashedEncoderId(this.dim);
    this.idf = options.idf;
    this.weights = options.idf ? idfWeights(options.idf) : undefined;
    this.tokenOptions = options.tokens ?? {};
  }

  /** The same encoder with another IDF table (or none). */
  withIdf(idf: IdfTable | undefined): HashedEncoder {
    return new HashedEncoder({ dim: this.dim, tokens: this.tokenOptions, ...(idf ? { idf } : {}) });
  }

  /** Σ over distinct tokens of sign(token) · (1 + ln tf) in bucket(token); not weighted, not normalised. */
  termVector(text: string, out: Float32Array = new Float32Array(this.dim)): Float32Array {
    const counts = countTokens(codeTokens(text, this.tokenOptions));
    for (const [token, tf] of counts) {
      const bucket = hashedBucket(token, this.dim);
      const sign = (murmur3(token, SIGN_SEED) & 1) === 0 ? 1 : -1;
      out[bucket] = (out[bucket] ?? 0) + sign * (1 + Math.log(tf));
    }
    return out;
  }

  /** Term vectors of `texts` as one contiguous matrix (row i = text i). */
  termMatrix(texts: readonly string[], token?: CancellationToken): Float32Array {
    const m = new Float32Array(texts.length * this.dim);
    for (let i = 0; i < texts.length; i++) {
      if (i % CANCEL_CHECK_EVERY === 0) throwIfCancelled(token);
      this.termVector(texts[i] ?? '', m.subarray(i * this.dim, (i + 1) * this.dim));
    }
    return m;
  }

  /** Applies this encoder's IDF to each row of a term matrix and L2-normalises it (in place; returns it). */
  weightRows(matrix: Float32Array): Float32Array {
    const d = this.dim;
    const w = this.weights;
    for (let off = 0; off + d <= matrix.length; off += d) {
      let norm = 0;
      for (let b = 0; b < d; b++) {
        const v = (matrix[off + b] ?? 0) * (w ? (w[b] ?? 1) : 1);
        matrix[off + b] = v;
        norm += v * v;
      }
      if (norm > 0) {
        const inv = 1 / Math.sqrt(norm);
        for (let b = 0; b < d; b++) matrix[off + b] = (matrix[off + b] ?? 0) * inv;
      }
    }
    return matrix;
  }

  /** Final vectors as one matrix. A text without tokens gives an all-zero row. */
  encodeMatrix(texts: readonly string[], token?: CancellationToken): Float32Array {
    return this.weightRows(this.termMatrix(texts, token));
  }

  async encode(texts: readonly string[], token?: CancellationToken): Promise<Float32Array[]> {
    const m = this.encodeMatrix(texts, token);
    return texts.map((_, i) => m.slice(i * this.dim, (i + 1) * this.dim));
  }

  /** Document frequencies of `texts` (one document each), for `withIdf`. */
  fitIdf(texts: readonly string[], token?: CancellationToken): IdfTable {
    const counter = new DfCounter(this.dim);
    const row = new Float32Array(this.dim);
    for (let i = 0; i < texts.length; i++) {
      if (i % CANCEL_CHECK_EVERY === 0) throwIfCancelled(token);
      row.fill(0);
      counter.update(this.termVector(texts[i] ?? '', row), 1);
    }
    return counter.toTable();
  }
}

export function hashedEncoderId(dim: number): string {
  return `hashed-v${HASHED_ENCODER_VERSION}-d${dim}`;
}
