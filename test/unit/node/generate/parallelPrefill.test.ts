import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assignPositions } from '../../../../src/common/positions/assignPositions.ts';
import { planRequest } from '../../../../src/common/positions/planRequest.ts';
import { concatCaches, prefillAt } from '../../../../src/node/context/chunkKv.ts';
import { KvCache } from '../../../../src/node/generate/kvCache.ts';
import { OnnxDecoder } from '../../../../src/node/generate/onnxDecoder.ts';
import { loadTiny, maxAbsDiff, PROMPTS, recorded } from './tinyModel.ts';

let tiny: OnnxDecoder;
before(async () => {
  tiny = await loadTiny();
});
after(() => tiny.dispose());

/** A parallel prompt: a 3-token shared prefix, chunks side by side at base 3, then the tail after the longest. */
function parallelPrompt(chunks: readonly (readonly number[])[], tail: readonly number[]) {
  const segments = [{ kind: 'marker', ids: [760, 12, 13] }, ...chunks.map((ids) => ({ kind: 'chunk', ids })), { kind: 'current-file', ids: tail }];
  return planRequest(assignPositions(segments, { policy: 'parallel', contextLength: 4096 }));
}

const A = (): number[] => tiny.encode(PROMPTS[0]!).slice(0, 30);
const B = (): number[] => tiny.encode(PROMPTS[7]!).slice(0, 24);
const TAIL = (): number[] => tiny.encode(PROMPTS[2]!).slice(0, 20);

/** The first-token logits computed by hand: prefix run, each chunk prefilled fresh at base 3, then the tail. */
async function referenceLogits(req: ReturnType<typeof parallelPrompt>): Promise<Float32Array> {
  const { model } = tiny;
  const ranges = req.independent!;
  const prefix = await prefillAt(model, req.ids.slice(0, ranges[0]!.start), 0);
  const chunks = await Promise.all(ranges.map((r) => prefillAt(model, req.ids.slice(r.start, r.end), req.positions![r.start]!)));
  const end = ranges.at(-1)!.end;
  const out = await model.forward(req.ids.slice(end), req.positions!.slice(end), concatCaches(model.layout, [prefix, ...chunks]), 'last');
  return out.logits;
}

describe('parallel prompts in OnnxDecoder (tiny fp32 decoder)', () => {
  test('chunks from the chunk cache give the logits of fresh prefills at their base; only new tokens are prefilled', async () => {
    const { decoder, model } = recorded(tiny, { prefillChunk: 16 });
    const first = parallelPrompt([A(), B()], TAIL());
    const cold = await decoder.generate(first, { maxTokens: 1, speculative: false });
    assert.equal(cold.stats.reusedTokens, 0);
    assert.equal(cold.stats.chunkCacheTokens, 0);
    assert.equal(cold.stats.prefillTokens, first.ids.length, 'cold: every token once (chunks at base 0, the rest in place)');
    const reranked = await decoder.generate(parallelPrompt([B(), A()], TAIL()), { maxTokens: 1, speculative: false });
    assert.equal(reranked.stats.reusedTokens, first.ids.length - 1, 'chunks that only changed rank keep the sequence (canonical order)');
    const C = [1, 2, 3, 4, 5, 6, 7];
    const withC = parallelPrompt([B(), C, A()], [...TAIL().slice(0, -1), 77]);
    model.passes.length = 0;
    const warm = await decoder.generate(withC, { maxTokens: 1, speculative: false });
    assert.equal(warm.stats.reusedTokens, 3, 'the new chunk sorts first: the shared prefix comes from the prefix cache');
    assert.equal(warm.stats.chunkCacheTokens, A().length + B().length);
    assert.equal(warm.stats.prefillTokens, C.length + TAIL().length, 'the new chunk once at base 0, then the tail');
    assert.equal(model.passes.reduce((n, p) => n + p.ids.length, 0), C.length + TAIL().length, 'no cached chunk token was run again');
    const d = maxAbsDiff(model.passes.find((p) => p.logits.length > 0)!.logits, await referenceLogits(withC));
    assert.ok(d <= 1e-4, `first-token logits |Δ| = ${d}`);
    const again = await decoder.generate(withC, { maxTokens: 1, speculative: false });
    assert.equal(again.stats.reusedTokens, withC.ids.length - 1, 'an identical parallel prompt reuses all but its last token');
  });

  test('a plain prompt never reuses the cache of a chunk that was encoded on its own', async () => {
    const { decoder, model } = recorded(tiny);
    const parallel = parallelPrompt([A()], TAIL());
    await decoder.generate(parallel, { maxTokens: 1, speculative: false });
    const plain = { ids: parallel.ids, positions: parallel.positions! };
    model.passes.length = 0;
    const r = await decoder.generate(plain, { maxTokens: 1, speculative: false });
    assert.equal(r.stats.reusedTokens, 3, 'same ids and positions, but the chunk attended to itself only');
    const fresh = await tiny.model.forward(plain.ids, plain.positions, KvCache.empty(tiny.model.layout), 'last');
    const d = maxAbsDiff(model.passes.find((p) => p.logits.length > 0)!.logits, fresh.logits);
    assert.ok(d <= 1e-4, `plain prompt after a parallel one: |Δ| = ${d}`);
  });

  test('a reusable prefix ending inside a chunk is cut back to the chunk start, and the chunk is placed whole', async () => {
    const { decoder } = recorded(tiny);
    const first = parallelPrompt([A(), B()], TAIL());
    await decoder.generate(first, { maxTokens: 1, speculative: false });
    const changedB = [...B().slice(0, 10), 5, ...B().slice(11)];
    const r = await decoder.generate(parallelPrompt([A(), changedB], TAIL()), { maxTokens: 1, speculative: false });
    assert.equal(r.stats.reusedTokens, 3 + A().length, 'prefix + chunk A; B would be cut inside');
    assert.equal(r.stats.chunkCacheTokens, 0);
    assert.equal(r.stats.prefillTokens, changedB.length + TAIL().length, 'the changed chunk once at base 0, then the tail');
  });

  test('the chunk cache is bounded: the least recently placed chunk goes first', async () => {
    const layout = tiny.model.layout;
    const perToken = layout.pastNames.length * layout.kvHeads * layout.headDim * 4;
    const bounded = new OnnxDecoder(tiny.folder, tiny.model, tiny.provider, { maxCacheBytes: 0, maxChunkCacheBytes: perToken * (A().length + B().length - 1) });
    await bounded.generate(parallelPrompt([A(), B()], TAIL()), { maxTokens: 1, speculative: false });
    assert.equal(bounded.chunkCache!.size, 1, 'A was evicted to make room for B');
    const r = await bounded.generate(parallelPrompt([B()], TAIL()), { maxTokens: 1, speculative: false });
    assert.equal(r.stats.chunkCacheTokens, B().length);
  });
});
