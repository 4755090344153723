/**
 * A cancellation token shaped like `vscode.CancellationToken`, so the editor's token can be passed
 * straight into pure code, and pure code can be driven from the CLI or tests without VS Code.
 */
export interface Disposable {
  dispose(): void;
}

export interface CancellationToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): Disposable;
}

export class CancellationError extends Error {
  constructor() {
    super('Canceled');
    this.name = 'CancellationError';
  }
}

export const NEVER_CANCELLED: CancellationToken = Object.freeze({
  isCancellationRequested: false,
  onCancellationRequested: () => ({ dispose() {} }),
});

/** Owns a token; `cancel()` notifies every listener once. */
export class CancellationTokenSource implements Disposable {
  private cancelled = false;
  private readonly listeners = new Set<() => void>();
  readonly token: CancellationToken;

  constructor() {
    const listeners = this.listeners;
    const isCancelled = () => this.cancelled;
    this.token = {
      get isCancellationRequested() {
        return isCancelled();
      },
      onCancellationRequested(listener) {
        if (isCancelled()) {
          queueMicrotask(listener);
          return { dispose() {} };
        }
        listeners.add(listener);
        return { dispose: () => listeners.delete(listener) };
      },
    };
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const l of [...this.listeners]) l();
    this.listeners.clear();
  }

  dispose(): void {
    this.listeners.clear();
  }
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new CancellationError();
}

export function isCancellationError(e: unknown): boolean {
  return e instanceof CancellationError || (e instanceof Error && e.name === 'CancellationError');
}

/** Resolves or rejects with the promise, or rejects with CancellationError as soon as the token fires. */
export function raceCancellation<T>(promise: Promise<T>, token: CancellationToken): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(new CancellationError());
  return new Promise<T>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => reject(new CancellationError()));
    promise.then(
      (v) => {
        sub.dispose();
        resolve(v);
      },
      (e: unknown) => {
        sub.dispose();
        reject(e);
      },
    );
  });
}
