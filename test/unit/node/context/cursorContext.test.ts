import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { FIM_STYLES } from '../../../../src/common/generate/fimStyles.ts';
import { buildCursorContext } from '../../../../src/node/context/cursorContext.ts';
import { CONTEXT_COMMAND, parseCursorArg } from '../../../../src/cli/commands/contextCommand.ts';
import { captureOutput } from '../../support/captureOutput.ts';
import { tempDirMaker } from '../../reliability/tempDirs.ts';

const mkTemp = tempDirMaker();

function chunk(p: string, startLine: number, text: string): Chunk {
  return { path: p, language: 'typescript', span: { start: 0, end: text.length }, startLine, endLine: startLine + text.split('\n').length - 2, symbolPath: [], text, definitions: [], parser: 'lines' };
}

async function tmpRepo(): Promise<string> {
  const dir = mkTemp('squeeze-ctx-');
  await fs.mkdir(path.join(dir, 'src'));
  const body = Array.from({ length: 40 }, (_, i) => `export const value${i} = compute(${i});\n`).join('');
  await fs.writeFile(path.join(dir, 'src/main.ts'), `${body}export function total(): number {\n  return value1 + value2;\n}\n`);
  await fs.writeFile(path.join(dir, 'src/util.ts'), 'export function compute(n: number): number {\n  return n * 2;\n}\n');
  return dir;
}


test('cursor context: query from the cursor, retrieved chunks compressed, positions per segment', async () => {
  const root = await tmpRepo();
  const queries: string[] = [];
  const ctx = await buildCursorContext({
    root, file: 'src/main.ts', line: 42, column: 10, budget: 300, contextLength: 4096, fim: FIM_STYLES[0]!,
    search: async (q) => {
      queries.push(q);
      return [{ chunk: chunk('src/util.ts', 1, 'export function compute(n: number): number {\n  return n * 2;\n}\n'), score: 0.8 }];
    },
  });
  assert.match(queries[0]!, /return \nvalue1 \+ value2/);
  assert.equal(ctx.path, 'src/main.ts');
  assert.ok(ctx.assembled.usedTokens <= 300);
  assert.deepEqual(ctx.assembled.decisions.map((d) => d.level), ['full']);
  assert.equal(ctx.plan.policy, 'sequential');
  assert.deepEqual(ctx.tokens.map((t) => t.ids.length), ctx.assembled.segmentTokens);
  const window = ctx.assembled.segments.find((s) => s.kind === 'current-file')!;
  assert.ok(window.text.endsWith('  return '));
});

test('squeeze context parses <file>:<line>:<col> and prints the prompt, the table and the positions', async () => {
  assert.deepEqual(parseCursorArg('C:/x/a.ts:3:4'), { file: 'C:/x/a.ts', line: 3, column: 4 });
  assert.throws(() => parseCursorArg('a.ts:0:1'), /1-based/);
  const root = await tmpRepo();
  const stdout = captureOutput();
  const stderr = captureOutput();
  const code = await CONTEXT_COMMAND.run(['src/main.ts:42:10', '--dir', root, '--mode', 'assembler', '--budget', '200', '--policy', 'parallel', '--fim', 'starcoder'], { stdout, stderr });
  assert.equal(code, 0, stderr.text);
  assert.match(stdout.text, /=== prompt \(\d+\/200 tokens/);
  assert.match(stdout.text, /<fim_prefix>/);
  assert.match(stdout.text, /level\s+score\s+tok\/full\s+chunk\s+reason/);
  assert.match(stdout.text, /policy parallel/);
  const json = captureOutput();
  assert.equal(await CONTEXT_COMMAND.run(['src/main.ts:42:10', '--dir', root, '--json'], { stdout: json, stderr }), 0);
  const parsed = JSON.parse(json.text) as { policy: string; segments: { kind: string }[] };
  assert.equal(parsed.policy, 'sequential');
  assert.ok(parsed.segments.some((s) => s.kind === 'current-file'));
});
