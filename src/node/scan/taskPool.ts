/**
 * Runs async tasks with at most `limit` in flight. `run` waits for a free slot before it starts a task,
 * so a producer that awaits it never queues more than `limit` tasks: memory stays bounded however
 * many files a walk finds. The first task failure is rethrown by the next `run` or by `drain`.
 */
export class TaskPool {
  private readonly limit: number;
  private readonly running = new Set<Promise<void>>();
  private failure: { readonly error: unknown } | undefined;

  constructor(limit: number) {
    if (!(limit >= 1)) throw new RangeError(`TaskPool limit must be at least 1, got ${limit}`);
    this.limit = limit;
  }

  get size(): number {
    return this.running.size;
  }

  /** Waits for a free slot, then starts the task without waiting for it to finish. */
  async run(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    this.rethrow();
    const started: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(started));
    this.running.add(started);
  }

  /** Waits until every started task has finished, then rethrows the first failure, if any. */
  async drain(): Promise<void> {
    await this.settle();
    this.rethrow();
  }

  /** Waits until every started task has finished; never throws (for cleanup after an error). */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private rethrow(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}
