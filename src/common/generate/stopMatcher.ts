/**
 * Finds stop sequences in streamed text. Text that could still be the start of a stop sequence is held
 * back, so a stream never shows a user half of a stop marker that the final text would not contain.
 */
export class StopMatcher {
  private readonly stops: readonly string[];
  private held = '';

  constructor(stops: readonly string[]) {
    this.stops = stops.filter((s) => s.length > 0);
  }

  /** Adds newly decoded text. `emit` is safe to show now; `stopped` means a stop sequence was reached. */
  push(delta: string): { emit: string; stopped: boolean } {
    const text = this.held + delta;
    let cut = -1;
    for (const s of this.stops) {
      const at = text.indexOf(s);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.held = '';
      return { emit: text.slice(0, cut), stopped: true };
    }
    const keep = this.partialSuffix(text);
    this.held = text.slice(text.length - keep);
    return { emit: text.slice(0, text.length - keep), stopped: false };
  }

  /** Whatever is still held back, at the end of a generation that did not stop on a sequence. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  /** Length of the longest suffix of `text` that is a proper prefix of some stop sequence. */
  private partialSuffix(text: string): number {
    let best = 0;
    for (const s of this.stops) {
      for (let n = Math.min(s.length - 1, text.length); n > best; n--) {
        if (text.endsWith(s.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
