import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Parser } from 'web-tree-sitter';
import { GRAMMARS, LANGUAGES } from '../../../../src/common/chunk/languages.ts';
import { loadLanguage, resolveGrammarLocation, grammarWasmPath } from '../../../../src/node/chunk/languageLoader.ts';
import { captureDefinitions, QueryCache, readNodeTypes, resolveSyntaxDir } from '../../../../src/node/chunk/queries.ts';

const syntaxDir = resolveSyntaxDir();
const CAPTURE = /^(definition\.[a-z_]+|name|body)$/;

test('syntaxes/: found from the sources; every parsed language has a query file and a grammar wasm', () => {
  assert.ok(fs.existsSync(path.join(syntaxDir, 'nodeTypes.json')), syntaxDir);
  const location = resolveGrammarLocation();
  for (const spec of Object.values(LANGUAGES)) {
    if (spec.grammar === undefined) continue;
    assert.ok(fs.existsSync(path.join(syntaxDir, `${spec.query}.scm`)), `${spec.query}.scm`);
    assert.ok(fs.existsSync(grammarWasmPath(location, spec.grammar)), spec.grammar);
  }
});

test('every query compiles against its grammar; each pattern captures a definition and a name', async () => {
  const cache = new QueryCache({ syntaxDir });
  for (const grammar of GRAMMARS) {
    const language = await loadLanguage(grammar);
    const query = cache.definitions(grammar, language);
    assert.equal(cache.definitions(grammar, language), query, 'compiled once');
    assert.ok(query.patternCount() > 0, grammar);
    for (const name of query.captureNames) assert.match(name, CAPTURE, `${grammar}: @${name}`);
    for (let i = 0; i < query.patternCount(); i++) {
      const used = query.captureNames.filter((_, id) => (query.captureQuantifiers[i]?.[id] ?? 0) !== 0);
      assert.ok(used.some((n) => n.startsWith('definition.')), `${grammar} pattern ${i} captures a definition`);
      assert.ok(used.includes('name'), `${grammar} pattern ${i} captures a name`);
    }
  }
});

test('nodeTypes.json: every comment type exists in its grammar', async () => {
  const types = readNodeTypes(syntaxDir);
  assert.deepEqual([...types.keys()].sort(), [...GRAMMARS].sort());
  for (const [grammar, { comments }] of types) {
    const language = await loadLanguage(grammar);
    assert.ok(comments.length > 0, grammar);
    for (const type of comments) assert.ok(language.idForNodeType(type, true), `${grammar}: ${type}`);
  }
});

test('captureDefinitions: first pattern wins for a node; body from @body or the body field', async () => {
  const language = await loadLanguage('python');
  const cache = new QueryCache({ syntaxDir });
  const parser = new Parser();
  parser.setLanguage(language);
  const text = 'class A:\n    def f(self):\n        return 1\n\ndef g():\n    pass\n';
  const tree = parser.parse(text);
  try {
    assert.ok(tree);
    const defs = captureDefinitions(cache.definitions('python', language), tree.rootNode, text);
    const summary = defs.map((d) => `${d.kind} ${d.name} ${text.slice(d.body?.start, d.body?.end)}`).sort();
    assert.deepEqual(summary, ['class A def f(self):\n        return 1', 'function g pass', 'method f return 1']);
  } finally {
    tree?.delete();
    parser.delete();
  }
});
