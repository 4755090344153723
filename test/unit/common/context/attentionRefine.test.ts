import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { compressContext } from '../../../../src/common/compress/compress.ts';
import type { ScoredChunk } from '../../../../src/common/compress/compressTypes.ts';
import { lowMassLines, massThinnedChunk } from '../../../../src/common/compress/massThinning.ts';
import { estimateChunkMass } from '../../../../src/common/context/attentionSpace.ts';
import { blendedScores, refineCandidates } from '../../../../src/common/context/attentionRefine.ts';
import type { LayerAttention } from '../../../../src/common/context/attentionTypes.ts';
import { clusterKeys } from '../../../../src/common/context/keyClusters.ts';
import { chunkMasses, lineProbeLayout } from '../../../../src/common/context/lineProbeLayout.ts';
import { createRng } from '../../../../src/common/random.ts';

const D = 16;

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function chunk(p: string, lines: number): Chunk {
  const text = Array.from({ length: lines }, (_, i) => `const ${p.replace(/\W/g, '')}${i} = ${i};\n`).join('');
  return { path: p, language: 'typescript', span: { start: 0, end: text.length }, startLine: 1, endLine: lines, symbolPath: [], text, definitions: [], parser: 'lines' };
}

/**
 * The probe layout of 6 candidates of 8 lines (3 tokens a line) and 16 window tokens, with planted keys:
 * the keys of candidate `hot` (ranked last by retrieval) and, inside every candidate, of lines 0–5 share the
 * queries' direction; lines 6 and 7 point elsewhere. 4 query heads over 2 KV heads.
 */
function plantedProbe(hot: number) {
  const rng = createRng(5);
  const lines = Array.from({ length: 6 }, (_, c) => Array.from({ length: 8 }, (_, l) => [c * 100 + l * 3, c * 100 + l * 3 + 1, c * 100 + l * 3 + 2]));
  const layout = lineProbeLayout(lines, Array.from({ length: 16 }, (_, i) => 900 + i), 4096);
  const length = layout.ids.length;
  const lineInChunk = (t: number): number => layout.lineOf[t]! % 8;
  const candidateOf = (t: number): number => Math.floor(layout.lineOf[t]! / 8);
  const dir = Array.from({ length: D }, () => gaussian(rng));
  const n = Math.hypot(...dir);
  const keys = new Float32Array(2 * length * D);
  for (let g = 0; g < 2; g++) {
    for (let t = 0; t < length; t++) {
      const inChunk = layout.lineOf[t]! >= 0;
      const strength = !inChunk ? 0 : (candidateOf(t) === hot ? 4 : 0.5) * (lineInChunk(t) < 6 ? 1 : -1);
      for (let i = 0; i < D; i++) keys[(g * length + t) * D + i] = gaussian(rng) * 0.3 + (strength * dir[i]!) / n;
    }
  }
  const queries = new Float32Array(4 * 16 * D);
  for (let h = 0; h < 4; h++) for (let j = 0; j < 16; j++) for (let i = 0; i < D; i++) queries[(h * 16 + j) * D + i] = gaussian(rng) * 0.3 + (4 * dir[i]!) / n;
  const layer: LayerAttention = { heads: 4, kvHeads: 2, headDim: D, length, keys, queryCount: 16, queries, chunkOf: layout.lineOf, chunks: layout.slots };
  return { layout, layer };
}

function candidates(): ScoredChunk[] {
  return Array.from({ length: 6 }, (_, c) => ({ chunk: chunk(`src/c${c}.ts`, 8), score: 0.9 - c * 0.05 }));
}

test('a chunk whose keys align with the cursor queries moves up the ranking', () => {
  const { layout, layer } = plantedProbe(5);
  const est = estimateChunkMass(layer, clusterKeys(layer, { fraction: 0.05, seed: 1 }), { maxScoredFraction: 0.2 });
  assert.ok(est.scoredFraction <= 0.2, `scored ${est.scoredFraction}`);
  const masses = chunkMasses(layout, est.mass);
  const cands = candidates();
  const refined = refineCandidates(cands, masses);
  assert.equal(refined.rows[5]!.rankBefore, 6);
  assert.equal(refined.rows[5]!.rankAfter, 1, `rows ${JSON.stringify(refined.rows.map((r) => [r.mass, r.blended]))}`);
  assert.ok(refined.rankChanged);
  assert.equal(refined.candidates[0]!.chunk.path, 'src/c5.ts');
  assert.ok(refined.candidates[0]!.score > cands[0]!.score / 0.9 * 0.5);
  // the per-chunk mass is the sum of its lines'
  masses.forEach((m) => assert.ok(Math.abs(m.mass! - m.lineMass!.reduce((s, x) => s + x, 0)) < 1e-9));
  // without the mass the order is the retrieval order
  const unfed = refineCandidates(cands, cands.map(() => ({ mass: undefined })));
  assert.deepEqual(unfed.candidates.map((c) => c.chunk.path), cands.map((c) => c.chunk.path));
  assert.ok(!unfed.rankChanged);
});

test('the lines the queries attend least are thinned first, in the packer and in compression', () => {
  const { layout, layer } = plantedProbe(5);
  const est = estimateChunkMass(layer, clusterKeys(layer, { fraction: 0.05, seed: 1 }), { maxScoredFraction: 0.2 });
  const refined = refineCandidates(candidates(), chunkMasses(layout, est.mass), { dropMassShare: 0.1 });
  const c5 = refined.candidates.find((c) => c.chunk.path === 'src/c5.ts')!;
  const lines = c5.chunk.text.split('\n').slice(0, -1);
  assert.deepEqual([...lowMassLines(lines, c5.lineMass!, 0.1)].sort(), [6, 7], `line masses ${c5.lineMass!.map((m) => m.toFixed(4))}`);
  assert.equal(refined.rows[5]!.lowMassLines, 2);
  const thinned = massThinnedChunk(c5, 0.1);
  assert.ok(!thinned.chunk.text.includes('srcc5ts6 =') && !thinned.chunk.text.includes('srcc5ts7 =') && thinned.chunk.text.includes('srcc5ts5 ='));
  assert.equal(thinned.droppedLines, 2);
  const full = compressContext([c5], { budget: 10_000 });
  const fed = compressContext([c5], { budget: 10_000, dropMassShare: 0.1 });
  assert.equal(full.decisions[0]!.droppedLines, 0);
  assert.equal(fed.decisions[0]!.droppedLines, 2);
  assert.ok(fed.usedTokens < full.usedTokens);
  assert.equal(massThinnedChunk({ ...c5, lineMass: undefined as unknown as number[] }, 0.1).droppedLines, 0);
});

test('lowMassLines drops ascending mass within the share, never blank lines; ties go to the later line', () => {
  assert.deepEqual([...lowMassLines(['a', 'b', 'c', 'd'], [5, 1, 3, 1], 0.2)].sort(), [1, 3]);
  assert.deepEqual([...lowMassLines(['a', '', 'c'], [5, 0, 1], 0.2)], [2]);
  assert.deepEqual([...lowMassLines(['a', 'b'], [1, 1], 0.5)], [1]);
  assert.deepEqual([...lowMassLines(['a', 'b'], [1, 1], 0)], []);
});

test('blended score = (1 - w) * score / max score + w * mass / max mass; deterministic; unprobed chunks get mass 0', () => {
  const cands = candidates().slice(0, 3).map((c, i) => ({ ...c, score: [0.8, 0.4, 0.2][i]! }));
  const masses = [{ mass: 1 }, { mass: 4 }, { mass: undefined }];
  assert.deepEqual(blendedScores(cands, masses, 0.5).map((x) => Math.round(x * 1e6) / 1e6), [0.625, 0.75, 0.125]);
  assert.deepEqual(blendedScores(cands, masses, 0), [1, 0.5, 0.25]);
  assert.deepEqual(refineCandidates(cands, masses), refineCandidates(cands, masses));
  assert.deepEqual(refineCandidates(cands, masses).candidates.map((c) => c.chunk.path), ['src/c1.ts', 'src/c0.ts', 'src/c2.ts']);
  assert.throws(() => blendedScores(cands, masses, 1.5), /massWeight/);
  assert.throws(() => blendedScores(cands, masses.slice(1)), /2 masses for 3/);
});

test('the probe layout takes candidates while they fit with the window, one slot per line', () => {
  const layout = lineProbeLayout([[[1, 2], [3]], [[4, 5, 6, 7]], [[8]]], [9, 10, 11], 8, 2);
  assert.deepEqual(layout.ids, [1, 2, 3, 8, 10, 11]);
  assert.deepEqual([...layout.lineOf], [0, 0, 1, 2, -1, -1]);
  assert.deepEqual(layout.spans, [{ first: 0, lines: 2 }, undefined, { first: 2, lines: 1 }]);
  assert.deepEqual(chunkMasses(layout, [0.5, 0.25, 1]), [{ mass: 0.75, lineMass: [0.5, 0.25] }, { mass: undefined }, { mass: 1, lineMass: [1] }]);
});
