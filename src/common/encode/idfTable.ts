/**
 * Document frequencies over hashed buckets, fitted by the index on its chunks and stored in its manifest.
 * A bucket counts for a document when the document's term vector is non-zero there, so a table can be
 * updated exactly from stored vectors: add the rows of new chunks, remove the rows of deleted ones.
 */
export interface IdfTable {
  readonly dim: number;
  /** Number of documents (chunks) counted. */
  readonly docCount: number;
  /** df[b] = documents with a non-zero weight in bucket b; length `dim`. */
  readonly df: readonly number[];
}

export function emptyIdfTable(dim: number): IdfTable {
  return { dim, docCount: 0, df: new Array<number>(dim).fill(0) };
}

/** Smoothed IDF, `ln((1 + N) / (1 + df)) + 1`: always ≥ 1, so weights can be divided out again. */
export function idfWeights(table: IdfTable): Float32Array {
  const w = new Float32Array(table.dim);
  const n = table.docCount;
  for (let b = 0; b < table.dim; b++) w[b] = Math.log((1 + n) / (1 + (table.df[b] ?? 0))) + 1;
  return w;
}

/** True when `x` is a well-formed table of dimension `dim` (used when reading a manifest). */
export function isIdfTable(x: unknown, dim: number): x is IdfTable {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as Partial<IdfTable>;
  if (t.dim !== dim || typeof t.docCount !== 'number' || t.docCount < 0 || !Array.isArray(t.df)) return false;
  return t.df.length === dim && t.df.every((v) => Number.isInteger(v) && v >= 0 && v <= (t.docCount ?? 0));
}

/** Mutable document-frequency counts; rows are term vectors of one document each. */
export class DfCounter {
  readonly dim: number;
  private readonly df: Int32Array;
  private docs: number;

  constructor(dim: number, from?: IdfTable) {
    this.dim = dim;
    this.df = new Int32Array(dim);
    this.docs = from?.docCount ?? 0;
    if (from) for (let b = 0; b < dim; b++) this.df[b] = from.df[b] ?? 0;
  }

  /** Adds (`sign` 1) or removes (`sign` -1) each `dim`-wide row of `rows`. */
  update(rows: Float32Array, sign: 1 | -1): void {
    const d = this.dim;
    for (let off = 0; off + d <= rows.length; off += d) {
      for (let b = 0; b < d; b++) if (rows[off + b] !== 0) this.df[b] = (this.df[b] ?? 0) + sign;
      this.docs += sign;
    }
  }

  toTable(): IdfTable {
    return { dim: this.dim, docCount: Math.max(0, this.docs), df: Array.from(this.df, (v) => Math.max(0, v)) };
  }
}
