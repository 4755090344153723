import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource, isCancellationError } from '../../../../src/common/cancellation.ts';
import { sequentialPositions } from '../../../../src/common/generate/prefixMatch.ts';
import { KvCache } from '../../../../src/node/generate/kvCache.ts';
import type { OnnxDecoder } from '../../../../src/node/generate/onnxDecoder.ts';
import { loadTiny, maxAbsDiff, PROMPTS, recorded } from './tinyModel.ts';

let tiny: OnnxDecoder;
before(async () => {
  tiny = await loadTiny();
});
after(() => tiny.dispose());

describe('OnnxDecoder on the tiny fp32 model', () => {
  test('chunked prefill + incremental decoding gives the logits of one full forward (|Δ| <= 1e-4)', async () => {
    const { decoder, model } = recorded(tiny, { prefillChunk: 16, maxCacheBytes: 0 });
    const ids = tiny.encode(PROMPTS.slice(0, 3).join('')).slice(0, 70);
    const r = await decoder.generate({ ids }, { maxTokens: 12, speculative: false });
    assert.equal(model.passes.filter((p) => p.ids.length > 1).length, Math.ceil(70 / 16), 'prefill ran in pieces of 16');
    const all = [...ids, ...r.tokenIds.slice(0, -1)];
    const full = await tiny.model.forward(all, sequentialPositions(all.length), KvCache.empty(tiny.model.layout), 'all');
    const vocab = tiny.model.vocabSize;
    const steps = model.passes.filter((p) => p.logits.length > 0);
    assert.equal(steps.length, r.tokenIds.length);
    steps.forEach((p, i) => {
      const row = ids.length - 1 + i;
      const diff = maxAbsDiff(p.logits, full.logits.subarray(row * vocab, (row + 1) * vocab));
      assert.ok(diff <= 1e-4, `step ${i}: max |Δlogit| = ${diff}`);
    });
  });

  test('prefix reuse gives the tokens of a cold run and reports the reused tokens', async () => {
    const { decoder } = recorded(tiny, { prefillChunk: 32 });
    const base = tiny.encode(PROMPTS.join('\n'));
    const edited = [...base.slice(0, -3), base[base.length - 3]! === 5 ? 6 : 5, ...base.slice(-2)];
    const cold = await decoder.generate({ ids: edited }, { maxTokens: 16 });
    assert.equal(cold.stats.reusedTokens, 0);
    decoder.clearCache();
    await decoder.generate({ ids: base }, { maxTokens: 16 });
    const warm = await decoder.generate({ ids: edited }, { maxTokens: 16 });
    assert.deepEqual(warm.tokenIds, cold.tokenIds);
    assert.equal(warm.stats.reusedTokens, base.length - 3);
    assert.equal(warm.stats.prefillTokens, 3);
    const again = await decoder.generate({ ids: edited }, { maxTokens: 16 });
    assert.equal(again.stats.reusedTokens, edited.length - 1, 'all but the last prompt token');
    assert.deepEqual(again.tokenIds, cold.tokenIds);
  });

  test('a cached token is reused only at the same position id', async () => {
    const { decoder } = recorded(tiny);
    const ids = tiny.encode(PROMPTS[0]!);
    await decoder.generate({ ids }, { maxTokens: 1 });
    const shifted = await decoder.generate({ ids, positions: sequentialPositions(ids.length, 100) }, { maxTokens: 4 });
    assert.equal(shifted.stats.reusedTokens, 0);
    const grouped = ids.map((_, i) => (i < 10 ? Math.floor(i / 2) : i - 5));
    await decoder.generate({ ids, positions: grouped }, { maxTokens: 1 });
    const again = await decoder.generate({ ids, positions: grouped }, { maxTokens: 4 });
    assert.equal(again.stats.reusedTokens, ids.length - 1);
  });

  test('the kept cache is bounded by maxCacheBytes', async () => {
    const layout = tiny.model.layout;
    const perToken = layout.pastNames.length * layout.kvHeads * layout.headDim * 4;
    const { decoder } = recorded(tiny, { maxCacheBytes: perToken * 10 });
    const ids = tiny.encode(PROMPTS[1]!);
    await decoder.generate({ ids }, { maxTokens: 4 });
    assert.equal(decoder.cachedTokens, 10);
    assert.equal((await decoder.generate({ ids }, { maxTokens: 4 })).stats.reusedTokens, 10);
    const none = recorded(tiny, { maxCacheBytes: 0 }).decoder;
    await none.generate({ ids }, { maxTokens: 2 });
    assert.equal(none.cachedTokens, 0);
  });

  test('speculative greedy output is identical to plain greedy on 20 prompts, with drafts accepted', async () => {
    let accepted = 0;
    let plainPasses = 0;
    let specPasses = 0;
    for (const prompt of PROMPTS) {
      const ids = tiny.encode(prompt);
      const plain = await recorded(tiny, { maxCacheBytes: 0 }).decoder.generate({ ids }, { maxTokens: 40, speculative: false });
      const spec = await recorded(tiny, { maxCacheBytes: 0 }).decoder.generate({ ids }, { maxTokens: 40, speculative: true });
      assert.deepEqual(spec.tokenIds, plain.tokenIds, `prompt ${JSON.stringify(prompt.slice(0, 30))}`);
      assert.equal(spec.text, plain.text);
      assert.equal(plain.stats.draftedTokens, 0);
      accepted += spec.stats.acceptedDraftTokens;
      plainPasses += plain.stats.forwardPasses;
      specPasses += spec.stats.forwardPasses;
    }
    assert.ok(accepted > 20, `accepted draft tokens: ${accepted}`);
    assert.ok(specPasses < plainPasses, `forward passes ${specPasses} (speculative) vs ${plainPasses}`);
  });

  test('drafts that are always wrong: same output, nothing accepted, drafting backs off', async () => {
    const ids = tiny.encode(PROMPTS[9]!);
    const plain = await recorded(tiny, { maxCacheBytes: 0 }).decoder.generate({ ids }, { maxTokens: 60, speculative: false });
    const wrong = (tokens: readonly number[], max: number) =>
      Array.from({ length: max }, (_, k) => ((plain.tokenIds[tokens.length - ids.length + k] ?? 0) + 1) % tiny.model.vocabSize);
    const r = await recorded(tiny, { maxCacheBytes: 0 }).decoder.generate({ ids }, { maxTokens: 60, speculative: { draft: wrong } });
    assert.deepEqual(r.tokenIds, plain.tokenIds);
    assert.equal(r.stats.acceptedDraftTokens, 0);
    assert.ok(r.stats.draftedTokens > 0 && r.stats.draftedTokens <= 15, `drafted ${r.stats.draftedTokens}`);
    assert.equal(r.stats.forwardPasses, plain.stats.forwardPasses, 'a rejected draft costs no extra pass');
  });

  test('cancellation stops within one forward pass, during prefill and during decoding', async () => {
    const ids = tiny.encode(PROMPTS.join(''));
    for (const cancelAt of [2, 9, 15]) {
      const { decoder, model } = recorded(tiny, { prefillChunk: 64 });
      const source = new CancellationTokenSource();
      model.during = (n) => n === cancelAt && source.cancel();
      await assert.rejects(decoder.generate({ ids }, { maxTokens: 50 }, source.token), (e) => isCancellationError(e));
      assert.equal(model.passes.length, cancelAt, 'no pass starts after the cancel');
      assert.ok(decoder.cachedTokens > 0, 'the work done before the cancel is kept for reuse');
    }
    const source = new CancellationTokenSource();
    source.cancel();
    const { decoder, model } = recorded(tiny);
    await assert.rejects(decoder.generate({ ids }, {}, source.token), (e) => isCancellationError(e));
    assert.equal(model.passes.length, 0);
  });

  test('a cancelled prefill is resumed by the next request', async () => {
    const ids = tiny.encode(PROMPTS.join(''));
    const { decoder, model } = recorded(tiny, { prefillChunk: 64 });
    const source = new CancellationTokenSource();
    model.during = (n) => n === 3 && source.cancel();
    await assert.rejects(decoder.generate({ ids }, { maxTokens: 4 }, source.token));
    const r = await decoder.generate({ ids }, { maxTokens: 4 });
    assert.equal(r.stats.reusedTokens, 3 * 64);
  });
});

describe('OnnxDecoder options', () => {
  test('stop sequences cut the text before the stop; max tokens; streaming matches the result', async () => {
    const ids = tiny.encode(PROMPTS[3]!);
    const free = await tiny.generate({ ids }, { maxTokens: 30, speculative: false });
    assert.equal(free.finishReason, 'length');
    assert.equal(free.tokenIds.length, 30);
    const stop = free.text.slice(10, 14);
    const stopped = await tiny.generate({ ids }, { maxTokens: 30, stop: [stop] });
    assert.equal(stopped.finishReason, 'stop');
    assert.equal(stopped.text, free.text.slice(0, free.text.indexOf(stop)));
    let streamed = '';
    const stream = tiny.stream({ ids }, { maxTokens: 30 });
    for await (const e of stream) streamed += e.text;
    assert.equal(streamed, (await stream.result).text);
    assert.equal(streamed, free.text);
  });

  test('breaking out of a stream cancels the generation', async () => {
    const { decoder, model } = recorded(tiny);
    const stream = decoder.stream({ ids: tiny.encode(PROMPTS[4]!) }, { maxTokens: 100, speculative: false });
    let n = 0;
    for await (const _ of stream) if (++n === 5) break;
    await assert.rejects(stream.result, (e) => isCancellationError(e));
    assert.ok(model.passes.length <= 6, `passes: ${model.passes.length}`);
  });

  test('eos and stop token ids end the generation', async () => {
    const ids = tiny.encode(PROMPTS[5]!);
    const free = await tiny.generate({ ids }, { maxTokens: 20 });
    const third = free.tokenIds[2]!;
    const r = await tiny.generate({ ids }, { maxTokens: 20, stopTokenIds: [third] });
    assert.equal(r.finishReason, 'eos');
    assert.deepEqual(r.tokenIds, free.tokenIds.slice(0, free.tokenIds.indexOf(third)));
  });

  test('sampling is reproducible by seed; top-p near 0 is greedy; speculative sampling runs', async () => {
    const ids = tiny.encode(PROMPTS[6]!);
    const o = { maxTokens: 24, temperature: 0.8, topP: 0.95, seed: 7 };
    const a = await tiny.generate({ ids }, o);
    const b = await tiny.generate({ ids }, o);
    assert.deepEqual(a.tokenIds, b.tokenIds);
    const greedy = await tiny.generate({ ids }, { maxTokens: 24 });
    const narrow = await tiny.generate({ ids }, { maxTokens: 24, temperature: 1, topP: 1e-9, seed: 3, speculative: false });
    assert.deepEqual(narrow.tokenIds, greedy.tokenIds);
    const spec = await tiny.generate({ ids }, { ...o, speculative: true });
    assert.equal(spec.tokenIds.length, 24);
  });

  test('maxTokens 0 only prefills (warms the cache)', async () => {
    const { decoder } = recorded(tiny);
    const ids = tiny.encode(PROMPTS[7]!);
    const r = await decoder.generate({ ids }, { maxTokens: 0 });
    assert.equal(r.tokenIds.length, 0);
    assert.equal(decoder.cachedTokens, ids.length);
  });

  test('invalid prompts are rejected with a clear message', async () => {
    await assert.rejects(tiny.generate({ ids: [] }), /empty prompt/);
    await assert.rejects(tiny.generate({ ids: [1, 99999] }), /outside the vocabulary/);
    await assert.rejects(tiny.generate({ ids: [1, 2], positions: [0] }), /position ids/);
    await assert.rejects(tiny.generate({ ids: [1, 2], positions: [0, 5000] }), /trained context/);
  });

  test('infill builds a Qwen-style FIM prompt and stops on its end tokens', async () => {
    const ids = tiny.encodeFim('def add(a, b):\n    return ', '\n');
    const tok = tiny.folder.tokenizer;
    assert.equal(ids[0], tok.tokenId('<|fim_prefix|>'));
    assert.equal(ids[ids.length - 1], tok.tokenId('<|fim_middle|>'));
    assert.ok(ids.includes(tok.tokenId('<|fim_suffix|>')!));
    const r = await tiny.infill('def add(a, b):\n    return ', '\n', { maxTokens: 8 });
    assert.ok(r.tokenIds.length <= 8);
  });

  test('the q8 model loads by default (auto precision) and generates', async () => {
    const q8 = await loadTiny({ precision: 'auto' });
    try {
      assert.equal(q8.folder.precision, 'q8');
      const r = await q8.generate({ ids: q8.encode(PROMPTS[8]!) }, { maxTokens: 10 });
      assert.equal(r.tokenIds.length, 10);
    } finally {
      await q8.dispose();
    }
  });
});
