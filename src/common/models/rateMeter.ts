/** Transfer rate over a sliding window of recent samples (bytes per second). Time is injected. */
export class RateMeter {
  private readonly windowMs: number;
  private readonly samples: { t: number; bytes: number }[] = [];
  private total = 0;

  constructor(windowMs = 3000) {
    this.windowMs = windowMs;
  }

  /** Records `delta` bytes at time `nowMs`. */
  add(delta: number, nowMs: number): void {
    this.total += delta;
    this.samples.push({ t: nowMs, bytes: this.total });
    while (this.samples.length > 2 && (this.samples[1]?.t ?? nowMs) <= nowMs - this.windowMs) this.samples.shift();
  }

  /** Bytes per second across the window; 0 until two samples are apart in time. */
  rate(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t <= first.t) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }
}
