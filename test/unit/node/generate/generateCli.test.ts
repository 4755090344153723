// The `squeeze generate` and `squeeze complete` command modules, run in-process on the tiny model.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancellationTokenSource } from '../../../../src/common/cancellation.ts';
import { parseLocation, runCompleteCommand, splitAtCursor } from '../../../../src/cli/commands/complete.ts';
import { runGenerateCommand } from '../../../../src/cli/commands/generate.ts';
import { TINY_DECODER } from './tinyModel.ts';
import { tempDirMaker } from '../../reliability/tempDirs.ts';

const mkTemp = tempDirMaker();

function io() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, token: new CancellationTokenSource().token },
  };
}

const MODEL = ['--model', TINY_DECODER, '--provider', 'cpu', '--threads', '1'];

describe('squeeze generate', () => {
  test('streams the text and prints stats', async () => {
    const { out, io: cli } = io();
    const code = await runGenerateCommand([...MODEL, '--prompt', 'def add(a, b):', '--max-tokens', '12', '--stats'], cli);
    assert.equal(code, 0, out.stderr);
    assert.ok(out.stdout.length > 0);
    assert.match(out.stderr, /provider: cpu/);
    assert.match(out.stderr, /time to first token: [\d.]+ ms/);
    assert.match(out.stderr, /prompt tokens: \d+ \(0 reused from cache, \d+ prefilled\)/);
    assert.match(out.stderr, /draft tokens accepted: \d+\/\d+/);
  });

  test('usage errors exit 2, load errors exit 1 naming the file', async () => {
    const a = io();
    assert.equal(await runGenerateCommand(['--prompt', 'x'], a.io), 2);
    assert.match(a.out.stderr, /--model DIR is required/);
    const b = io();
    assert.equal(await runGenerateCommand([...MODEL, '--prompt', 'x', '--max-tokens', 'many'], b.io), 2);
    const c = io();
    assert.equal(await runGenerateCommand(['--model', path.join(os.tmpdir(), 'no-such-model'), '--prompt', 'x'], c.io), 1);
    assert.match(c.out.stderr, /no-such-model: model folder not found/);
  });

  test('a cancelled run exits 130', async () => {
    const { out, io: cli } = io();
    const source = new CancellationTokenSource();
    source.cancel();
    assert.equal(await runGenerateCommand([...MODEL, '--prompt', 'x = 1'], { ...cli, token: source.token }), 130);
    assert.match(out.stderr, /cancelled/);
  });
});

describe('squeeze complete', () => {
  test('parses file:line:col from the right', () => {
    assert.deepEqual(parseLocation('C:\\src\\a.ts:3:14'), { file: 'C:\\src\\a.ts', line: 3, column: 14 });
    assert.throws(() => parseLocation('a.ts:0:1'), /1-based/);
    assert.throws(() => parseLocation('a.ts'), /<file>:<line>:<col>/);
  });

  test('splits at the cursor and cuts the budgets at line boundaries', () => {
    const text = 'one\ntwo\nthree\nfour\n';
    const at = { file: 'f', line: 3, column: 3 };
    assert.deepEqual(splitAtCursor(text, at, { prefix: 100, suffix: 100 }), { prefix: 'one\ntwo\nth', suffix: 'ree\nfour\n' });
    assert.deepEqual(splitAtCursor(text, at, { prefix: 5, suffix: 5 }), { prefix: 'th', suffix: 'ree' });
    assert.equal(splitAtCursor(text, { file: 'f', line: 1, column: 99 }, { prefix: 100, suffix: 100 }).prefix, 'one');
    assert.throws(() => splitAtCursor(text, { file: 'f', line: 9, column: 1 }, { prefix: 1, suffix: 1 }), /past the end/);
  });

  test('completes at a cursor with the local model', async () => {
    const file = path.join(mkTemp('squeeze-complete-'), 'a.py');
    fs.writeFileSync(file, 'def add(a, b):\n    return \n\nprint(add(1, 2))\n');
    const { out, io: cli } = io();
    const code = await runCompleteCommand([`${file}:2:12`, ...MODEL, '--max-tokens', '8', '--stats', '--single-line'], cli);
    assert.equal(code, 0, out.stderr);
    assert.ok(!out.stdout.slice(0, -1).includes('\n'), 'single line');
    assert.match(out.stderr, /decode: [\d.]+ tok\/s/);
    const bad = io();
    assert.equal(await runCompleteCommand([`${file}:2:12`], bad.io), 2);
    assert.match(bad.out.stderr, /exactly one of --model DIR and --endpoint URL/);
  });

  test('an endpoint with nothing listening fails with exit 1', async () => {
    const file = path.join(mkTemp('squeeze-complete-'), 'a.ts');
    fs.writeFileSync(file, 'const x = \n');
    const { out, io: cli } = io();
    assert.equal(await runCompleteCommand([`${file}:1:11`, '--endpoint', 'http://127.0.0.1:9/v1', '--server-model', 'm'], cli), 1);
    assert.match(out.stderr, /^error: /);
  });
});
