import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FimContext, FimRequest } from '../../../../src/common/backend/backendTypes.ts';
import { fimContextPrefix } from '../../../../src/common/backend/fimContext.ts';
import { fimSegments } from '../../../../src/common/generate/fimSegments.ts';
import type { GenerateRequest } from '../../../../src/common/generate/generateTypes.ts';
import { assignPositions } from '../../../../src/common/positions/assignPositions.ts';
import { planRequest } from '../../../../src/common/positions/planRequest.ts';
import { concatCaches, prefillAt } from '../../../../src/node/context/chunkKv.ts';
import { LocalBackend } from '../../../../src/node/generate/localBackend.ts';
import { KvCache } from '../../../../src/node/generate/kvCache.ts';
import { OnnxDecoder } from '../../../../src/node/generate/onnxDecoder.ts';
import { loadTiny, PROMPTS } from './tinyModel.ts';

let tiny: OnnxDecoder;
before(async () => {
  tiny = await loadTiny();
});
after(() => tiny.dispose());

describe('LocalBackend (TextBackend over the ONNX decoder)', () => {
  test('raw, fim and chat requests stream text and report usage', async () => {
    const backend = new LocalBackend(tiny);
    for (const request of [
      { kind: 'raw', prompt: 'def add(a, b):', options: { maxTokens: 6 } },
      { kind: 'fim', prefix: 'def add(a, b):\n    return ', suffix: '\n', options: { maxTokens: 6 } },
      { kind: 'chat', messages: [{ role: 'user', content: 'hello' }], options: { maxTokens: 6 } },
    ] as const) {
      let streamed = '';
      const r = await backend.stream(request, { onText: (t) => (streamed += t) });
      assert.equal(streamed, r.text, request.kind);
      assert.ok(r.usage?.completionTokens !== undefined && r.usage.completionTokens <= 6);
      assert.ok(['stop', 'length'].includes(r.finishReason ?? ''));
      assert.equal(backend.lastStats?.provider, 'cpu');
    }
    const whole = await backend.complete({ kind: 'raw', prompt: 'x = 1', options: { maxTokens: 3 } });
    assert.equal(whole.usage?.completionTokens, 3);
  });
});

/** Greedy tokens computed by hand: the text before the chunks at its positions, each chunk prefilled fresh at its assigned base, the tail, then one token at a time. */
async function freshGreedy(request: GenerateRequest, n: number, stopIds: ReadonlySet<number>): Promise<number[]> {
  const { model } = tiny;
  const ranges = request.independent!;
  const positions = request.positions!;
  const head = ranges[0]!.start;
  const prefix = (await model.forward(request.ids.slice(0, head), positions.slice(0, head), KvCache.empty(model.layout), 'none')).cache;
  const chunks = await Promise.all(ranges.map((r) => prefillAt(model, request.ids.slice(r.start, r.end), positions[r.start]!)));
  const end = ranges.at(-1)!.end;
  let out = await model.forward(request.ids.slice(end), positions.slice(end), concatCaches(model.layout, [prefix, ...chunks]), 'last');
  let next = Math.max(...positions) + 1;
  const tokens: number[] = [];
  while (tokens.length < n) {
    const id = argmax(out.logits);
    if (stopIds.has(id)) break;
    tokens.push(id);
    out = await model.forward([id], [next++], out.cache, 'last');
  }
  return tokens;
}

function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

function fimRequest(pieces: readonly string[], window: string): FimRequest {
  const context: FimContext = { lead: '// Related code:\n', pieces: pieces.map((text, i) => ({ key: `p${i}`, text })), local: `// File: main.ts\n${window}` };
  return { kind: 'fim', prefix: fimContextPrefix(context), suffix: '\n}\n', context, options: { maxTokens: 8 } };
}

describe('LocalBackend FIM requests with context pieces (tiny fp32 decoder)', () => {
  const pieceA = `${PROMPTS[0]}`;
  const pieceB = `${PROMPTS[7]}\n`;
  const pieceC = `${PROMPTS[11]}\n`;

  test('auto takes parallel (usable chunk cache); greedy output equals the segments prefilled fresh at their positions', async () => {
    const backend = new LocalBackend(new OnnxDecoder(tiny.folder, tiny.model, tiny.provider));
    const request = fimRequest([pieceA, pieceB], 'function main() {\n  const x = ');
    const r = await backend.complete(request);
    assert.equal(r.prompt?.policy, 'parallel');
    const folder = tiny.folder;
    const segments = fimSegments({ context: request.context!, suffix: request.suffix, style: folder.fim?.style, bosId: folder.tokenizer.bosId }, folder.tokenizer);
    const plan = assignPositions(segments, { policy: 'parallel', contextLength: folder.config.contextLength });
    const chunkBases = plan.segments.filter((s) => s.kind === 'chunk').map((s) => s.positions[0]);
    assert.deepEqual(r.prompt!.segments.filter((s) => s.kind === 'chunk').map((s) => s.first), chunkBases);
    const expected = await freshGreedy(planRequest(plan), 8, new Set([...folder.eosTokenIds, ...(folder.fim?.stopIds ?? [])]));
    assert.ok(expected.length > 0);
    assert.equal(r.text, folder.tokenizer.decode(expected));
    assert.equal(r.usage?.completionTokens, expected.length);
  });

  test('a second request sharing chunks prefills only its new piece and what follows the chunks', async () => {
    const backend = new LocalBackend(new OnnxDecoder(tiny.folder, tiny.model, tiny.provider));
    const first = await backend.complete(fimRequest([pieceA, pieceB], 'function main() {\n  const x = '));
    assert.equal(first.prompt!.prefillTokens, first.prompt!.promptTokens, 'cold: every token once');
    const second = await backend.complete(fimRequest([pieceA, pieceC, pieceB], 'function main() {\n  const y = '));
    const p = second.prompt!;
    const tok = tiny.folder.tokenizer;
    const chunkEnd = Math.max(...p.segments.filter((s) => s.kind === 'chunk').map((s) => s.last));
    const tail = p.segments.filter((s) => s.kind !== 'chunk' && s.first > chunkEnd).reduce((n, s) => n + s.tokens, 0);
    assert.equal(p.prefillTokens, tok.encode(pieceC).length + tail);
    assert.equal(p.reusedTokens + p.chunkCacheTokens, p.promptTokens - p.prefillTokens);
    assert.ok(p.chunkCacheTokens + p.reusedTokens >= tok.encode(pieceA).length + tok.encode(pieceB).length);
    assert.ok(p.prefillTokens < first.prompt!.prefillTokens);
  });

  test('windowFirst: the window goes before the chunks, and the output equals that layout prefilled fresh', async () => {
    const backend = new LocalBackend(new OnnxDecoder(tiny.folder, tiny.model, tiny.provider), { windowFirst: true });
    const request = fimRequest([pieceA, pieceB], 'function main() {\n  const x = ');
    const r = await backend.complete(request);
    const folder = tiny.folder;
    const segments = fimSegments({ context: request.context!, suffix: request.suffix, style: folder.fim?.style, bosId: folder.tokenizer.bosId }, folder.tokenizer);
    const planned = planRequest(assignPositions(segments, { policy: 'parallel', contextLength: folder.config.contextLength, spanStep: 128 }), { windowFirst: true });
    const window = segments.find((s) => s.kind === 'current-file')!.ids;
    assert.deepEqual(planned.ids.slice(planned.independent![0]!.start - window.length, planned.independent![0]!.start), window, 'the window just before the chunks');
    const expected = await freshGreedy(planned, 8, new Set([...folder.eosTokenIds, ...(folder.fim?.stopIds ?? [])]));
    assert.equal(r.text, folder.tokenizer.decode(expected));
    const second = await backend.complete(fimRequest([pieceC, pieceB], 'function main() {\n  const x = 1'));
    assert.ok(second.prompt!.reusedTokens >= window.length, 'the window is reused although the chunks changed');
  });

  test('auto without a usable chunk cache (no budget) stays sequential while the prompt fits', async () => {
    const backend = new LocalBackend(new OnnxDecoder(tiny.folder, tiny.model, tiny.provider, { maxChunkCacheBytes: 0 }));
    const r = await backend.complete(fimRequest([pieceA, pieceB], 'let w = '));
    assert.equal(r.prompt?.policy, 'sequential');
    assert.equal(r.prompt?.chunkCacheTokens, 0);
  });

  test('a window no policy can place is cut from its far end, as a flat prompt', async () => {
    const backend = new LocalBackend(new OnnxDecoder(tiny.folder, tiny.model, tiny.provider));
    const limit = tiny.folder.config.contextLength;
    const long = 'let value = 1;\n'.repeat(Math.ceil(limit / 4));
    assert.ok(tiny.encode(long).length > limit);
    const r = await backend.complete({ ...fimRequest([pieceA], long), options: { maxTokens: 2 } });
    assert.equal(r.prompt?.policy, 'sequential');
    assert.equal(r.prompt?.segments.length, 1, 'one flat prompt');
    assert.ok(r.prompt!.promptTokens <= limit - 3 && r.prompt!.promptTokens > limit / 2, `${r.prompt!.promptTokens} prompt tokens`);
  });

  test('a sequential backend sends the same segments at 0..N-1; a prefix that disagrees with its pieces is refused', async () => {
    const backend = new LocalBackend(new OnnxDecoder(tiny.folder, tiny.model, tiny.provider), { policy: 'sequential' });
    const request = fimRequest([pieceA, pieceB], 'let z = ');
    const r = await backend.complete(request);
    assert.equal(r.prompt?.policy, 'sequential');
    assert.equal(r.prompt!.segments.at(-1)!.last, r.prompt!.promptTokens - 1);
    await assert.rejects(backend.complete({ ...request, prefix: `${request.prefix}x` }), /concatenation of its context pieces/);
  });
});
