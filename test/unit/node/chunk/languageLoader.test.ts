import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleDir, loadLanguage, resolveGrammarLocation } from '../../../../src/node/chunk/languageLoader.ts';

test('resolveGrammarLocation: node_modules when not bundled; an explicit directory wins', () => {
  assert.equal(bundleDir(), undefined, 'tests run the ES module sources');
  const location = resolveGrammarLocation();
  assert.ok(location.runtimeWasm.endsWith(path.join('web-tree-sitter', 'web-tree-sitter.wasm')));
  assert.ok(fs.existsSync(path.join(location.grammarDir, 'tree-sitter-typescript.wasm')));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-grammars-'));
  try {
    assert.equal(resolveGrammarLocation(dir).grammarDir, dir);
    assert.equal(resolveGrammarLocation(dir).runtimeWasm, location.runtimeWasm, 'runtime falls back to the package');
    fs.copyFileSync(location.runtimeWasm, path.join(dir, 'web-tree-sitter.wasm'));
    assert.equal(resolveGrammarLocation(dir).runtimeWasm, path.join(dir, 'web-tree-sitter.wasm'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('loadLanguage: one promise per grammar; a missing grammar rejects', async () => {
  const a = loadLanguage('go');
  assert.equal(loadLanguage('go'), a);
  assert.ok((await a).name === 'go' || (await a).abiVersion > 0);
  await assert.rejects(loadLanguage('no_such_grammar'), /ENOENT/);
});
