/** Maps UTF-16 offsets of a text to 0-based line numbers and back. Lines end after each '\n'. */
export class LineIndex {
  /** Offset of the first code unit of each line; starts with 0. */
  readonly starts: readonly number[];
  readonly textLength: number;

  constructor(text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
    this.textLength = text.length;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 0-based line of `offset` (an offset at a line start belongs to that line). */
  lineOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset of the start of 0-based `line`; the text length past the last line. */
  lineStart(line: number): number {
    return this.starts[line] ?? this.textLength;
  }

  /** Offset of the start of the line that contains `offset`. */
  lineStartOf(offset: number): number {
    return this.lineStart(this.lineOf(offset));
  }
}
