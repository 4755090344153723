/** Keeps the k highest-scoring (ref, score) pairs seen: a bounded min-heap. Ties keep the lower ref. */
export class TopK {
  readonly k: number;
  private readonly scores: Float64Array;
  private readonly refs: Int32Array;
  private size = 0;

  constructor(k: number) {
    this.k = Math.max(0, Math.floor(k));
    this.scores = new Float64Array(this.k);
    this.refs = new Int32Array(this.k);
  }

  get length(): number {
    return this.size;
  }

  /** A score must be above this to enter once the heap is full (−∞ before). */
  get floor(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }

  push(ref: number, score: number): void {
    if (this.size < this.k) {
      this.scores[this.size] = score;
      this.refs[this.size] = ref;
      this.up(this.size++);
    } else if (this.k > 0 && this.less(0, score, ref)) {
      this.scores[0] = score;
      this.refs[0] = ref;
      this.down(0);
    }
  }

  /** The kept pairs, best first. */
  sorted(): { ref: number; score: number }[] {
    const out = Array.from({ length: this.size }, (_, i) => ({ ref: this.refs[i]!, score: this.scores[i]! }));
    return out.sort((a, b) => b.score - a.score || a.ref - b.ref);
  }

  /** Whether heap entry i ranks below (score, ref). */
  private less(i: number, score: number, ref: number): boolean {
    const s = this.scores[i]!;
    return s < score || (s === score && this.refs[i]! > ref);
  }

  private swap(i: number, j: number): void {
    const s = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = s;
    const r = this.refs[i]!;
    this.refs[i] = this.refs[j]!;
    this.refs[j] = r;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, this.scores[p]!, this.refs[p]!)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.less(l, this.scores[m]!, this.refs[m]!)) m = l;
      if (r < this.size && this.less(r, this.scores[m]!, this.refs[m]!)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
