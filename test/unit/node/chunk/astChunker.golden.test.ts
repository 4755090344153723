// Golden fixtures: test/fixtures/chunker/<grammar>/<name>.<ext> and, next to each, <name>.<ext>.chunks.txt
// (chunk headers, the `collapsed` rendering, and the `signature` rendering). Run with UPDATE_GOLDEN=1 to
// rewrite them after an intended change, then read the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { GRAMMARS, LANGUAGES } from '../../../../src/common/chunk/languages.ts';
import { MemoryLogger } from '../../../../src/common/log.ts';
import { AstChunker } from '../../../../src/node/chunk/astChunker.ts';
import { formatGolden } from './goldenFormat.ts';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/chunker');
const GOLDEN_SUFFIX = '.chunks.txt';
const BUDGET = 256;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function fixtureFiles(): string[] {
  return fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => fs.readdirSync(path.join(FIXTURES, d.name)).map((f) => path.join(FIXTURES, d.name, f)))
    .filter((f) => !f.endsWith(GOLDEN_SUFFIX))
    .sort();
}

/** Compares with the golden file, or rewrites it when UPDATE_GOLDEN=1. A missing golden file fails. */
function assertGolden(actual: string, goldenPath: string): void {
  if (UPDATE) {
    fs.writeFileSync(goldenPath, actual);
    return;
  }
  assert.ok(fs.existsSync(goldenPath), `missing golden file ${path.relative(ROOT, goldenPath)} (run with UPDATE_GOLDEN=1)`);
  assert.equal(actual, fs.readFileSync(goldenPath, 'utf8'), `${path.relative(ROOT, goldenPath)} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

test('golden fixtures exist for every grammar', () => {
  const grammarsWithFixtures = new Set(fixtureFiles().map((f) => path.basename(path.dirname(f))));
  for (const g of GRAMMARS) assert.ok(grammarsWithFixtures.has(g), `no fixture for grammar ${g}`);
});

test('chunks of every golden fixture match their annotated output', async (t) => {
  const logger = new MemoryLogger();
  const chunker = new AstChunker({ chunkTokens: BUDGET, logger });
  try {
    for (const file of fixtureFiles()) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      await t.test(rel, async () => {
        const text = fs.readFileSync(file, 'utf8');
        const chunks = await chunker.chunk(rel, text);
        assert.equal(chunks.map((c) => c.text).join(''), text);
        assert.ok(chunks.every((c) => c.parser === 'tree-sitter'), 'parsed by tree-sitter');
        const grammar = path.basename(path.dirname(file));
        assert.equal(LANGUAGES[chunks[0]?.language ?? '']?.grammar, grammar, 'fixture folder names the grammar');
        assertGolden(formatGolden(chunks, BUDGET), file + GOLDEN_SUFFIX);
      });
    }
    assert.deepEqual(logger.entries.filter((e) => e.level === 'warn' || e.level === 'error'), []);
  } finally {
    chunker.dispose();
  }
});
