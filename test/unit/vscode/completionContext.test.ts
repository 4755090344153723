import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fimContextPrefix } from '../../../src/common/backend/fimContext.ts';
/* eslint-disable no-restricted-imports -- the completion prompt builders are vscode-free (pure) modules */
import { completionContext, completionPrefix, splitPieces } from '../../../src/vscode/context/completionPrompt.ts';
import { buildRepoContext } from '../../../src/vscode/context/repoContext.ts';
import type { RetrievedChunk } from '../../../src/vscode/services/repoSearch.ts';
/* eslint-enable no-restricted-imports */

function hit(path: string, startLine: number, body: string, score: number): RetrievedChunk {
  const lines = body.split('\n').length;
  return { path, language: 'typescript', startLine, endLine: startLine + lines - 1, text: body, score, symbolPath: [], signatures: [] };
}

const HITS = [
  hit('src/a.ts', 1, 'export function alpha(x: number): number {\n\n  return x * 2;\n}\n', 0.9),
  hit('src/b.ts', 10, 'export class Beta {\n  gamma(): string {\n    return "beta";\n  }\n}\n', 0.7),
  hit('src/c.py', 3, 'def delta(y):\n    return y + 1\n', 0.5),
];
const WINDOW = 'const total = alpha(3);\nconst b = new Beta();\nconst s = ';

function built() {
  return buildRepoContext(HITS, { surface: 'completion', query: 'alpha Beta delta', budgetChars: 4000, style: 'comment', prefix: WINDOW });
}

test('the structured FIM prefix flattens to exactly the text HTTP servers get (completionPrefix)', () => {
  const b = built();
  const ctx = completionContext(b.text, b.report.items, 'src/main.ts', 'typescript', WINDOW);
  assert.equal(fimContextPrefix(ctx), completionPrefix(b.text, 'src/main.ts', 'typescript', WINDOW));
  assert.equal(ctx.pieces.length, b.report.items.filter((i) => i.status === 'included').length);
  assert.ok(ctx.pieces.length >= 2, 'several pieces kept');
  assert.ok(ctx.pieces.every((p) => p.text.startsWith('// ') && p.text.endsWith('\n')), 'each piece starts at its header');
  assert.equal(ctx.local, completionPrefix('', 'src/main.ts', 'typescript', WINDOW));
});

test('no context: the whole prefix is local; unmatched items keep the context as one piece', () => {
  const none = completionContext('', [], 'x.ts', 'typescript', WINDOW);
  assert.deepEqual(none, { lead: '', pieces: [], local: completionPrefix('', 'x.ts', 'typescript', WINDOW) });
  const b = built();
  assert.equal(splitPieces(b.text, []), undefined);
  const one = completionContext(b.text, [], 'x.ts', 'typescript', WINDOW);
  assert.equal(one.pieces.length, 1);
  assert.equal(fimContextPrefix(one), completionPrefix(b.text, 'x.ts', 'typescript', WINDOW));
});
