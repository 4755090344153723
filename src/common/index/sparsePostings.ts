import type { RowMatrix } from './rowMatrix.ts';

/**
 * Per-dimension posting lists of the rows of a RowMatrix: for each dimension d, the rows whose value in d
 * is non-zero and that value. Scoring a query is then Σ over its non-zero dimensions of a scatter-add
 * along one list: exact, and proportional to the postings read instead of rows × dim. Worth it for
 * sparse rows such as the hashed encoder's (≈ 4% of 1,024 buckets set per code chunk); dense rows
 * (model embeddings, every dimension set) never get postings (see `worthPostings`).
 */
export class SparsePostings {
  readonly dim: number;
  /** Rows [0, rows) of the matrix are covered; rows appended later are scored densely. */
  readonly rows: number;
  /** The postings of dimension d are [starts[d], starts[d + 1]). */
  readonly starts: Int32Array;
  readonly refs: Int32Array;
  readonly values: Float32Array;

  private constructor(dim: number, rows: number, starts: Int32Array, refs: Int32Array, values: Float32Array) {
    this.dim = dim;
    this.rows = rows;
    this.starts = starts;
    this.refs = refs;
    this.values = values;
  }

  /** Postings of rows [0, rows) of `m` (two passes: count per dimension, then fill). */
  static build(m: RowMatrix, rows = m.rows): SparsePostings {
    const dim = m.dim;
    const starts = new Int32Array(dim + 1);
    for (let r = 0; r < rows; r++) {
      const v = m.row(r);
      for (let d = 0; d < dim; d++) if (v[d] !== 0) starts[d + 1]!++;
    }
    for (let d = 0; d < dim; d++) starts[d + 1]! += starts[d]!;
    const refs = new Int32Array(starts[dim]!);
    const values = new Float32Array(starts[dim]!);
    const at = starts.slice(0, dim);
    for (let r = 0; r < rows; r++) {
      const v = m.row(r);
      for (let d = 0; d < dim; d++) {
        if (v[d] === 0) continue;
        const p = at[d]!++;
        refs[p] = r;
        values[p] = v[d]!;
      }
    }
    return new SparsePostings(dim, rows, starts, refs, values);
  }

  /** Non-zero entries held. */
  get entries(): number {
    return this.starts[this.dim]!;
  }

  get bytes(): number {
    return this.starts.byteLength + this.refs.byteLength + this.values.byteLength;
  }

  /** Length of dimension d's list. */
  length(d: number): number {
    return this.starts[d + 1]! - this.starts[d]!;
  }

  /** Postings a query reads: Σ over its non-zero dimensions of the list lengths. */
  cost(q: Float32Array): number {
    let n = 0;
    for (let d = 0; d < this.dim; d++) if (q[d] !== 0) n += this.starts[d + 1]! - this.starts[d]!;
    return n;
  }

  /** acc[r] = q · row r for every covered row (acc is overwritten; length ≥ rows). */
  score(q: Float32Array, acc: Float32Array): void {
    acc.fill(0, 0, this.rows);
    const { starts, refs, values } = this;
    for (let d = 0; d < this.dim; d++) {
      const w = q[d]!;
      if (w === 0) continue;
      for (let p = starts[d]!, end = starts[d + 1]!; p < end; p++) acc[refs[p]!]! += w * values[p]!;
    }
  }
}

/** Rows sampled to estimate density before building. */
const DENSITY_SAMPLE = 512;

/**
 * Postings pay off when rows are sparse: each entry costs 8 bytes (ref + value) against 4 per dense float,
 * and a scatter-add is slower than the SIMD scan, so above this share of non-zero values the dense scan
 * of the kept clusters wins (and the memory beyond the vectors would grow past half of them).
 */
export const MAX_POSTINGS_DENSITY = 0.15;

/** Mean share of non-zero values over up to DENSITY_SAMPLE evenly spaced rows of `m`. */
export function rowDensity(m: RowMatrix): number {
  if (m.rows === 0) return 1;
  const step = Math.max(1, Math.floor(m.rows / DENSITY_SAMPLE));
  let nonZero = 0;
  let seen = 0;
  for (let r = 0; r < m.rows; r += step, seen++) {
    const v = m.row(r);
    for (let d = 0; d < m.dim; d++) if (v[d] !== 0) nonZero++;
  }
  return nonZero / (seen * m.dim);
}

/** Whether `m`'s rows are sparse enough for postings (see MAX_POSTINGS_DENSITY). */
export function worthPostings(m: RowMatrix): boolean {
  return rowDensity(m) <= MAX_POSTINGS_DENSITY;
}
