import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { completionPrefix } from '../../../../src/common/assemble/completionPrefix.ts';
import { buildRetrievedContext } from '../../../../src/common/assemble/retrievedContext.ts';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import type { ScoredChunk } from '../../../../src/common/compress/compressTypes.ts';
import { refineCandidates } from '../../../../src/common/context/attentionRefine.ts';
import { completionWindow } from '../../../../src/common/context/completionWindow.ts';
import { FIM_STYLES } from '../../../../src/common/generate/fimStyles.ts';
import type { AttentionRefinement } from '../../../../src/node/context/attentionRefine.ts';
import { editorContextOfText } from '../../../../src/node/context/editorContext.ts';
import { CONTEXT_COMMAND } from '../../../../src/cli/commands/contextCommand.ts';
import { captureOutput } from '../../support/captureOutput.ts';
import { tempDirMaker } from '../../reliability/tempDirs.ts';

const mkTemp = tempDirMaker();

function chunk(p: string, text: string): Chunk {
  return { path: p, language: 'typescript', span: { start: 0, end: text.length }, startLine: 1, endLine: text.split('\n').length - 1, symbolPath: [], text, definitions: [], parser: 'lines' };
}

const FILE = `${Array.from({ length: 40 }, (_, i) => `export const value${i} = compute(${i});\n`).join('')}export function total(): number {\n  return value1 + value2;\n}\n`;
const HITS: ScoredChunk[] = [
  { chunk: chunk('src/util.ts', 'export function compute(n: number): number {\n  return n * 2;\n}\n'), score: 0.8 },
  { chunk: chunk('src/sum.ts', 'export function sumAll(xs: number[]): number {\n  let total = 0;\n  for (const x of xs) total += x;\n  // a comment line\n  return total;\n}\n'), score: 0.7 },
];

test('editor mode builds the prefix the editor sends: its window, the novelty packer and completionPrefix', async () => {
  const e = await editorContextOfText('src/main.ts', FILE, { line: 42, column: 10, contextLength: 4096, fim: FIM_STYLES[0]!, search: async () => HITS });
  const offset = FILE.split('\n').slice(0, 41).join('\n').length + 1 + 9;
  const w = completionWindow(FILE, offset);
  const built = buildRetrievedContext(HITS, { surface: 'completion', query: e.query, budgetChars: 2000, style: 'comment', exclude: { path: 'src/main.ts', startLine: w.startLine, endLine: w.endLine }, prefix: w.prefix, createdAt: 0 });
  assert.equal(e.prefix, completionPrefix(built.text, 'src/main.ts', 'typescript', w.prefix));
  assert.equal(e.suffix, w.suffix);
  assert.deepEqual(e.items.map((d) => d.status), ['included', 'included']);
  assert.deepEqual(e.segments.map((s) => s.kind), ['marker', 'lead', 'chunk', 'chunk', 'current-file', 'marker', 'suffix', 'marker']);
  assert.equal(e.segments[3]!.source?.path, 'src/util.ts', 'best piece last, nearest the cursor');
  assert.equal(e.plan.policy, 'sequential');
  const positions = e.plan.segments.flatMap((s) => s.positions);
  assert.deepEqual(positions, positions.map((_, i) => i));
});

test('editor mode with refinement: the packer gets the blended order and the low-mass lines are gone', async () => {
  let refined: AttentionRefinement | undefined;
  const own: ScoredChunk = { chunk: { ...chunk('src/main.ts', 'export const value30 = compute(30);\n'), startLine: 31, endLine: 31 }, score: 0.9 };
  const refine = async (cands: readonly ScoredChunk[]): Promise<AttentionRefinement> => {
    assert.deepEqual(cands.map((c) => c.chunk.path), ['src/util.ts', 'src/sum.ts'], 'chunks inside the cursor window are not probed');
    const masses = [{ mass: 0.1, lineMass: [0.05, 0.05, 0] }, { mass: 3, lineMass: [0.6, 0.6, 0.6, 0.01, 0.6, 0.53] }];
    refined = { ...refineCandidates(cands, masses), queriesFrom: 'graph', probeTokens: 100, probedCandidates: 2, scoredFraction: 0.2, masses, forwardMs: 0, estimateMs: 0 };
    return refined;
  };
  const e = await editorContextOfText('src/main.ts', FILE, { line: 42, column: 10, contextLength: 4096, search: async () => [own, ...HITS], refine });
  assert.ok(refined?.rankChanged);
  assert.deepEqual(e.packed.map((c) => c.chunk.path), ['src/sum.ts', 'src/util.ts', 'src/main.ts']);
  assert.deepEqual(e.origin, [2, 1, 0]);
  assert.deepEqual(e.rowOf, [1, 0, undefined]);
  assert.ok(!e.prefix.includes('// a comment line') && e.prefix.includes('let total = 0;'));
  assert.ok(e.massDroppedLines[0]! >= 1);
  const chunks = e.segments.filter((s) => s.kind === 'chunk');
  assert.equal(chunks.at(-1)!.source?.path, 'src/sum.ts');
});


test('squeeze context --attention: the table shows estimated mass and whether the ranking changed', async () => {
  const root = mkTemp('squeeze-ctx-att-');
  await fs.mkdir(path.join(root, 'src'));
  await fs.writeFile(path.join(root, 'src/main.ts'), FILE);
  await Promise.all(HITS.map((h) => fs.writeFile(path.join(root, h.chunk.path), h.chunk.text)));
  const stdout = captureOutput();
  const stderr = captureOutput();
  const model = path.resolve('test/models/tiny-decoder-probe');
  const code = await CONTEXT_COMMAND.run(['src/main.ts:42:10', '--dir', root, '--model', model, '--attention'], { stdout, stderr });
  assert.equal(code, 0, stderr.text);
  assert.match(stdout.text, /=== prompt as the editor sends it \(\d+ tokens;/);
  assert.match(stdout.text, /attention: queries from the graph .*ranking (changed|unchanged)/);
  assert.match(stdout.text, /level\s+score\s+mass\s+blended\s+rank\s+low-mass lines\s+chars\s+chunk\s+reason/);
  assert.match(stdout.text, /policy sequential/);
  const json = captureOutput();
  assert.equal(await CONTEXT_COMMAND.run(['src/main.ts:42:10', '--dir', root, '--model', model, '--attention', '--json'], { stdout: json, stderr }), 0);
  const parsed = JSON.parse(json.text) as { mode: string; attention: { queriesFrom: string; rows: { mass: number }[] } };
  assert.equal(parsed.mode, 'editor');
  assert.equal(parsed.attention.queriesFrom, 'graph');
  assert.ok(parsed.attention.rows.length > 0 && parsed.attention.rows.every((r) => r.mass > 0));
  await assert.rejects(CONTEXT_COMMAND.run(['src/main.ts:42:10', '--dir', root, '--attention'], { stdout, stderr }), /--attention needs --model/);
  await assert.rejects(CONTEXT_COMMAND.run(['src/main.ts:42:10', '--dir', root, '--budget', '100'], { stdout, stderr }), /--mode assembler/);
});
