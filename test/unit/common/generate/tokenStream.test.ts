import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource, CancellationError, isCancellationError } from '../../../../src/common/cancellation.ts';
import type { CancellationToken } from '../../../../src/common/cancellation.ts';
import type { TokenEvent } from '../../../../src/common/generate/generateTypes.ts';
import { streamTokens } from '../../../../src/common/generate/tokenStream.ts';

/** Emits n events, one per macrotask, honouring cancellation between them. */
async function fake(n: number, onToken: (e: TokenEvent) => void, token: CancellationToken): Promise<number> {
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 1));
    if (token.isCancellationRequested) throw new CancellationError();
    onToken({ tokenId: i, text: String(i) });
  }
  return n;
}

describe('streamTokens', () => {
  test('yields every event in order, then ends; result resolves', async () => {
    const s = streamTokens((on, t) => fake(5, on, t));
    const seen: string[] = [];
    for await (const e of s) seen.push(e.text);
    assert.deepEqual(seen, ['0', '1', '2', '3', '4']);
    assert.equal(await s.result, 5);
  });

  test('breaking out cancels the producer', async () => {
    const s = streamTokens((on, t) => fake(1000, on, t));
    for await (const e of s) if (e.tokenId === 2) break;
    await assert.rejects(s.result, (e) => isCancellationError(e));
  });

  test('the outer token cancels; errors reach the consumer', async () => {
    const outer = new CancellationTokenSource();
    const s = streamTokens((on, t) => fake(1000, on, t), outer.token);
    const it = s[Symbol.asyncIterator]();
    await it.next();
    outer.cancel();
    await assert.rejects(async () => {
      for (;;) if ((await it.next()).done) break;
    }, (e) => isCancellationError(e));
    const failing = streamTokens(async () => {
      throw new Error('boom');
    });
    await assert.rejects(async () => {
      for await (const _ of failing) void _;
    }, /boom/);
  });
});
