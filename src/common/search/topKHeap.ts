/** A bounded min-heap that keeps the k best (highest score) entries seen; ties keep the lower index. */
export interface ScoredIndex {
  readonly index: number;
  readonly score: number;
}

export class TopKHeap {
  readonly k: number;
  private readonly scores: Float64Array;
  private readonly indices: Int32Array;
  private size = 0;

  constructor(k: number) {
    this.k = Math.max(0, Math.floor(k));
    this.scores = new Float64Array(this.k);
    this.indices = new Int32Array(this.k);
  }

  get length(): number {
    return this.size;
  }

  /** The score an entry must beat to get in, once the heap is full. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : (this.scores[0] ?? -Infinity);
  }

  push(index: number, score: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      this.scores[this.size] = score;
      this.indices[this.size] = index;
      this.siftUp(this.size++);
    } else if (this.worse(0, score, index)) {
      this.scores[0] = score;
      this.indices[0] = index;
      this.siftDown(0);
    }
  }

  /** Best first. Leaves the heap unchanged. */
  sorted(): ScoredIndex[] {
    const out: ScoredIndex[] = [];
    for (let i = 0; i < this.size; i++) out.push({ index: this.indices[i] ?? 0, score: this.scores[i] ?? 0 });
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }

  /** True when the entry at slot `i` ranks below (score, index). */
  private worse(i: number, score: number, index: number): boolean {
    const s = this.scores[i] ?? 0;
    return s < score || (s === score && (this.indices[i] ?? 0) > index);
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a] ?? 0;
    const x = this.indices[a] ?? 0;
    this.scores[a] = this.scores[b] ?? 0;
    this.indices[a] = this.indices[b] ?? 0;
    this.scores[b] = s;
    this.indices[b] = x;
  }

  private siftUp(start: number): void {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, this.scores[parent] ?? 0, this.indices[parent] ?? 0)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(start: number): void {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, this.scores[m] ?? 0, this.indices[m] ?? 0)) m = l;
      if (r < this.size && this.worse(r, this.scores[m] ?? 0, this.indices[m] ?? 0)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
