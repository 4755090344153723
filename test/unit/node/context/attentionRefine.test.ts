import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import type { ScoredChunk } from '../../../../src/common/compress/compressTypes.ts';
import { refineWithAttention } from '../../../../src/node/context/attentionRefine.ts';
import { OnnxDecoder } from '../../../../src/node/generate/onnxDecoder.ts';
import { loadTiny, PROMPTS } from '../generate/tinyModel.ts';

let probe: OnnxDecoder;
let tiny: OnnxDecoder;
before(async () => {
  probe = await OnnxDecoder.load(path.resolve('test/models/tiny-decoder-probe'), { precision: 'fp32', provider: 'cpu', threads: 1 });
  tiny = await loadTiny();
});
after(async () => {
  await probe.dispose();
  await tiny.dispose();
});

function candidates(n: number): ScoredChunk[] {
  return PROMPTS.slice(0, n).map((text, i): ScoredChunk => {
    const body = text.endsWith('\n') ? text : `${text}\n`;
    const lines = body.split('\n').length - 1;
    const chunk: Chunk = { path: `src/p${i}.ts`, language: 'typescript', span: { start: 0, end: body.length }, startLine: 1, endLine: lines, symbolPath: [], text: body, definitions: [], parser: 'lines' };
    return { chunk, score: 1 - i * 0.01 };
  });
}

const WINDOW = 'function main() {\n  const result = compute(values);\n  return result';

test('refinement with the probe decoder: graph queries, per-line masses summing to the chunk mass, at most 20% of keys scored', async () => {
  const cands = candidates(8);
  const r = await refineWithAttention({ decoder: probe, candidates: cands, windowPrefix: WINDOW });
  assert.equal(r.queriesFrom, 'graph');
  assert.equal(r.probedCandidates, 8);
  assert.ok(r.scoredFraction > 0 && r.scoredFraction <= 0.2, `scored ${r.scoredFraction}`);
  r.masses.forEach((m, i) => {
    assert.equal(m.lineMass!.length, cands[i]!.chunk.text.split('\n').length - 1);
    assert.ok(m.mass! > 0 && Math.abs(m.mass! - m.lineMass!.reduce((s, x) => s + x, 0)) < 1e-9);
  });
  assert.equal(r.candidates.length, 8);
  assert.ok(r.candidates.every((c) => c.lineMass !== undefined));
  const again = await refineWithAttention({ decoder: probe, candidates: cands, windowPrefix: WINDOW });
  assert.deepEqual(again.rows, r.rows, 'deterministic');
});

test('without query outputs the refinement falls back to key–key similarity and says so; a tight token cap leaves chunks unprobed', async () => {
  const r = await refineWithAttention({ decoder: tiny, candidates: candidates(4), windowPrefix: WINDOW });
  assert.equal(r.queriesFrom, 'keys');
  const capped = await refineWithAttention({ decoder: probe, candidates: candidates(8), windowPrefix: WINDOW, maxTokens: 120 });
  assert.ok(capped.probedCandidates < 8 && capped.probeTokens <= 120, `${capped.probedCandidates} probed in ${capped.probeTokens}`);
  assert.ok(capped.masses.some((m) => m.mass === undefined));
});
