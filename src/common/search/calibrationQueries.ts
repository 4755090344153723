/**
 * Calibration queries for the centroid index, made from the index's own chunks when no query log exists:
 * half are "identifier" queries (four distinct identifiers of a chunk, like a search for names), half
 * "code" queries (a contiguous half of a chunk's lines, like the code around a cursor). Each remembers its
 * source chunk, which calibration holds out of the index (ClusteredSearch.calibrate): real queries do not
 * come with their best hit stored verbatim.
 */
import type { HashedEncoder } from '../encode/hashedEncoder.ts';
import { Prng } from '../index/prng.ts';

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]{3,}/g;
const IDENTIFIERS_PER_QUERY = 4;

export interface CalibrationQueryOptions {
  readonly count: number;
  readonly seed: number;
}

export interface CalibrationSet {
  /** Non-zero query vectors, packed rows. */
  readonly queries: Float32Array;
  /** The text (row) each query was made from. */
  readonly sources: Uint32Array;
}

/** At most this share of the chunks is held out while calibrating (small indexes get fewer queries). */
const MAX_HELD_OUT = 0.1;

/** Up to `count` queries (and at most 10% of the texts), drawn deterministically from `texts`. */
export function calibrationQueries(texts: readonly string[], encoder: HashedEncoder, o: CalibrationQueryOptions): CalibrationSet {
  const count = Math.min(o.count, Math.floor(MAX_HELD_OUT * texts.length));
  const rng = new Prng(o.seed + 313);
  const queries: string[] = [];
  const from: number[] = [];
  for (const i of rng.sample(texts.length, Math.min(texts.length, 4 * count))) {
    const ident = queries.length % 2 === 0;
    const q = (ident ? identifierQuery(texts[i]!, rng) : codeQuery(texts[i]!, rng)) ?? (ident ? codeQuery(texts[i]!, rng) : identifierQuery(texts[i]!, rng));
    if (q) {
      queries.push(q);
      from.push(i);
    }
    if (queries.length >= count) break;
  }
  const m = encoder.encodeMatrix(queries);
  const dim = encoder.dim;
  const keep: number[] = [];
  for (let r = 0; r < queries.length; r++) if (m.subarray(r * dim, (r + 1) * dim).some((v) => v !== 0)) keep.push(r);
  const out = new Float32Array(keep.length * dim);
  keep.forEach((r, j) => out.set(m.subarray(r * dim, (r + 1) * dim), j * dim));
  return { queries: out, sources: Uint32Array.from(keep, (r) => from[r]!) };
}

function identifierQuery(text: string, rng: Prng): string | undefined {
  const words = [...new Set(text.match(IDENTIFIER) ?? [])];
  if (words.length < IDENTIFIERS_PER_QUERY) return undefined;
  return Array.from(rng.sample(words.length, IDENTIFIERS_PER_QUERY), (j) => words[j]!).join(' ');
}

function codeQuery(text: string, rng: Prng): string | undefined {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  if (lines.length < 4) return undefined;
  const half = Math.ceil(lines.length / 2);
  const start = rng.int(lines.length - half + 1);
  return lines.slice(start, start + half).join('\n');
}
