import type { CancellationToken } from '../cancellation.ts';
import { CancellationTokenSource, isCancellationError } from '../cancellation.ts';
import type { TokenEvent } from './generateTypes.ts';

/** Events of one generation as an async iterator, plus its final result. */
export interface TokenStream<R> extends AsyncIterableIterator<TokenEvent> {
  /** Settles when the generation ends (rejects with its error, CancellationError included). */
  readonly result: Promise<R>;
}

/**
 * Adapts a callback-style generation (`onToken`) to `for await`. Leaving the loop early (break, return,
 * throw) cancels the generation; the outer token cancels it too. Events are buffered, never dropped.
 */
export function streamTokens<R>(
  start: (onToken: (e: TokenEvent) => void, token: CancellationToken) => Promise<R>,
  outer?: CancellationToken,
): TokenStream<R> {
  const source = new CancellationTokenSource();
  const link = outer?.onCancellationRequested(() => source.cancel());
  const queue: TokenEvent[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const result = start((e) => {
    queue.push(e);
    notify();
  }, source.token).finally(() => {
    ended = true;
    link?.dispose();
    notify();
  });
  result.catch(() => undefined);

  const stream: TokenStream<R> = {
    result,
    async next(): Promise<IteratorResult<TokenEvent>> {
      while (queue.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
      const value = queue.shift();
      if (value) return { value, done: false };
      await result;
      return { value: undefined, done: true };
    },
    async return(): Promise<IteratorResult<TokenEvent>> {
      source.cancel();
      await result.catch((e: unknown) => {
        if (!isCancellationError(e)) throw e;
      });
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
