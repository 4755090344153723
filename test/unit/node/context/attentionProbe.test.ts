import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { estimateChunkMass } from '../../../../src/common/context/attentionSpace.ts';
import type { LayerAttention } from '../../../../src/common/context/attentionTypes.ts';
import { massCoverage } from '../../../../src/common/context/chunkMassSets.ts';
import { exactChunkMass } from '../../../../src/common/context/exactAttention.ts';
import { clusterKeys } from '../../../../src/common/context/keyClusters.ts';
import { sequentialPositions } from '../../../../src/common/generate/prefixMatch.ts';
import { inverseFrequencies, rerotateKeys } from '../../../../src/common/positions/rope.ts';
import { captureAttention, hasQueryOutputs, type ProbePrompt } from '../../../../src/node/context/attentionProbe.ts';
import type { DecoderSession } from '../../../../src/node/generate/decoderSession.ts';
import { KvCache } from '../../../../src/node/generate/kvCache.ts';
import { OnnxDecoder } from '../../../../src/node/generate/onnxDecoder.ts';
import { loadTiny, maxAbsDiff, PROMPTS } from '../generate/tinyModel.ts';

const PROBE = path.resolve('test/models/tiny-decoder-probe');
let probe: OnnxDecoder;
let tiny: OnnxDecoder;
before(async () => {
  probe = await OnnxDecoder.load(PROBE, { precision: 'fp32', provider: 'cpu', threads: 1 });
  tiny = await loadTiny();
});
after(async () => {
  await probe.dispose();
  await tiny.dispose();
});

const session = (d: OnnxDecoder): DecoderSession => d.model as DecoderSession;

/** 16 code chunks, then a tail of 16 query tokens. */
function chunkPrompt(): ProbePrompt {
  const ids: number[] = [];
  const chunkOf: number[] = [];
  PROMPTS.slice(0, 16).forEach((text, c) => {
    const x = probe.encode(text);
    ids.push(...x);
    chunkOf.push(...x.map(() => c));
  });
  const tail = probe.encode('function main() {\n  const result = compute(values);\n  return result;\n}\n').slice(0, 16);
  ids.push(...tail);
  chunkOf.push(...tail.map(() => -1));
  return { ids, positions: sequentialPositions(ids.length), chunkOf: Int32Array.from(chunkOf), chunks: 16, queryCount: tail.length };
}

test('the probe model is the tiny decoder (same logits and keys) with per-layer query outputs', async () => {
  const ids = probe.encode(PROMPTS[3]!);
  const pos = sequentialPositions(ids.length, 5);
  const [a, b] = await Promise.all([probe, tiny].map((d) => d.model.forward(ids, pos, KvCache.empty(d.model.layout), 'all')));
  assert.ok(maxAbsDiff(a!.logits, b!.logits) <= 1e-5);
  assert.ok(hasQueryOutputs(session(probe), 2));
  assert.ok(!hasQueryOutputs(session(tiny), 2));
  const fallback = await captureAttention(session(tiny), tiny.folder.config, { ...chunkPrompt() });
  assert.equal(fallback.queriesFrom, 'keys');
});

test('queries come after RoPE: moving the prompt by B positions rotates them by B', async () => {
  const ids = probe.encode(PROMPTS[1]!);
  const config = probe.folder.config;
  const at = async (base: number) => (await session(probe).run(ids, sequentialPositions(ids.length, base), KvCache.empty(probe.model.layout), ['queries.1']))['queries.1']!.data as Float32Array;
  const q0 = await at(0);
  const q37 = await at(37);
  const moved = rerotateKeys(q0, config.headDim, 37, inverseFrequencies(config.rope));
  assert.ok(maxAbsDiff(moved, q37) <= 1e-4, `|Δ| = ${maxAbsDiff(moved, q37)}`);
  assert.ok(maxAbsDiff(q0, q37) > 1e-2);
});

function check(layer: LayerAttention, estimateOn: LayerAttention = layer) {
  const exact = exactChunkMass(layer);
  const est = estimateChunkMass(estimateOn, clusterKeys(estimateOn, { fraction: 0.05, seed: 1 }), { maxScoredFraction: 0.2 });
  return { ...massCoverage(exact, est.mass, 0.9), scored: est.scoredFraction };
}

test('tiny decoder: the chunks of the top 90% of exact attention mass are found scoring at most 20% of keys', async () => {
  const capture = await captureAttention(session(probe), probe.folder.config, chunkPrompt());
  assert.equal(capture.queriesFrom, 'graph');
  for (const [i, layer] of capture.layers.entries()) {
    const r = check(layer);
    assert.ok(r.scored <= 0.2, `layer ${i}: scored ${r.scored}`);
    assert.equal(r.recall, 1, `layer ${i}: exact ${r.exactSet} vs estimate ${r.estimateSet}`);
    assert.ok(r.massCovered >= 0.9, `layer ${i}: covered ${r.massCovered}`);
    // the same check fails when the estimate sees the keys under the wrong chunk labels
    const shifted = { ...layer, chunkOf: layer.chunkOf.map((c) => (c < 0 ? c : (c + 1) % layer.chunks)) };
    const wrong = check(layer, shifted);
    assert.ok(wrong.recall < 1 || wrong.massCovered < 0.9, `layer ${i}: mislabelled keys still pass (${wrong.massCovered})`);
  }
});
