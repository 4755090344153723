/** Debouncing by sleeping on the cancellation token, adapted to the model's recent speed. Pure. */
import type { CancellationToken } from '../../common/cancellation.ts';

/** Resolves true after `ms`, or false as soon as the token is cancelled. The listener is always disposed. */
export function sleepOnToken(ms: number, token: CancellationToken): Promise<boolean> {
  if (token.isCancellationRequested) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(true);
    }, ms);
    const sub = token.onCancellationRequested(() => {
      clearTimeout(timer);
      sub.dispose();
      resolve(false);
    });
  });
}

/**
 * The wait before asking the model: the configured debounce, lengthened when the model is slow (a slow
 * request wasted by the next keystroke costs more), capped at four times the setting or 1 s.
 */
export class AdaptiveDebounce {
  private average: number | undefined;

  /** Records the latency of a finished model request (exponential moving average). */
  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.average = this.average === undefined ? ms : 0.8 * this.average + 0.2 * ms;
  }

  get averageLatencyMs(): number | undefined {
    return this.average;
  }

  delay(baseMs: number): number {
    const extra = this.average === undefined ? 0 : this.average * 0.25;
    return Math.round(Math.min(baseMs + extra, Math.max(baseMs * 4, 1000)));
  }
}
