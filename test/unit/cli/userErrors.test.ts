// The mistakes a new user makes on the command line: each one names the file or flag, says what to do, exits
// non-zero and prints no stack; nothing is indexed before the arguments are known to be good.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runCliCaptured as run } from '../support/captureOutput.ts';
import { tempDirMaker } from '../reliability/tempDirs.ts';

const DECODER = path.resolve('test/models/tiny-decoder');
const mkTemp = tempDirMaker();

function tinyRepo(): string {
  const dir = mkTemp('squeeze-user-errors-');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const a = 1;\nexport const b = 2;\n');
  return dir;
}

function noStack(stderr: string): void {
  assert.doesNotMatch(stderr, /\n\s+at /, stderr);
}

test('a missing folder and a file in place of a folder are told apart', async () => {
  const repo = tinyRepo();
  const missing = await run('index', path.join(repo, 'nope'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^squeeze index: folder not found: .*nope \(give the repository's root folder\)\n$/);
  const file = await run('search', path.join(repo, 'src', 'a.ts'), 'query');
  assert.equal(file.code, 1);
  assert.match(file.stderr, /a\.ts is a file, not a folder \(give the repository's root folder, e\.g\. .*src\)/);
  noStack(missing.stderr + file.stderr);
});

test('a usage error shows what was expected and the synopsis, not every option', async () => {
  const r = await run('search', '.');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /wrong number of arguments: expected <dir> "<query>", got 1 \("\."\)/);
  assert.match(r.stderr, /Usage: squeeze search <dir>/);
  assert.match(r.stderr, /Run 'squeeze search --help' for all options\.\n$/);
  assert.doesNotMatch(r.stderr, /--min-chunks N {2,}use/, 'the option table is left to --help');
  const help = await run('help', 'frobnicate');
  assert.equal(help.code, 2);
  assert.match(help.stderr, /unknown command 'frobnicate'/);
});

test('models: a wrong subcommand or a missing name says which', async () => {
  const wrong = await run('models', 'download', 'x');
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /^unknown subcommand 'download': use list or pull <name>\n/);
  const noName = await run('models', 'pull');
  assert.equal(noName.code, 2);
  assert.match(noName.stderr, /^pull needs a model name/);
});

test('context checks the folder, the file and the line before indexing anything', async () => {
  const repo = tinyRepo();
  const missingFile = await run('context', 'src/b.ts:1:1', '--dir', repo);
  assert.equal(missingFile.code, 1);
  assert.match(missingFile.stderr, /file not found: .*src.b\.ts \(<file> is relative to the repository folder .*; set that with --dir\)/);
  const pastEnd = await run('context', 'src/a.ts:40:1', '--dir', repo);
  assert.equal(pastEnd.code, 2);
  assert.match(pastEnd.stderr, /src\/a\.ts has 3 lines; line 40 is past the end/);
  const noModel = await run('context', 'src/a.ts:1:1', '--dir', repo, '--attention');
  assert.equal(noModel.code, 2);
  assert.match(noModel.stderr, /--attention needs --model D/);
  const noDir = await run('context', 'src/a.ts:1:1', '--dir', path.join(repo, 'nope'));
  assert.equal(noDir.code, 1);
  assert.match(noDir.stderr, /folder not found: .*nope/);
  assert.equal(fs.existsSync(path.join(repo, '.squeeze')), false, 'no index was built for a bad command line');
  noStack(missingFile.stderr + pastEnd.stderr + noDir.stderr);
});

test('complete: a folder as the file, a model folder without tokenizer.json, a refused endpoint', async () => {
  const repo = tinyRepo();
  const folder = await run('complete', `${path.join(repo, 'src')}:1:1`, '--model', DECODER);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /src is a folder; give <file>:<line>:<col> of a file/);

  const model = mkTemp('squeeze-model-no-tokenizer-');
  for (const f of fs.readdirSync(DECODER)) if (f !== 'tokenizer.json') fs.cpSync(path.join(DECODER, f), path.join(model, f), { recursive: true });
  const noTokenizer = await run('complete', `${path.join(repo, 'src', 'a.ts')}:1:1`, '--model', model);
  assert.equal(noTokenizer.code, 1);
  assert.match(noTokenizer.stderr, /tokenizer\.json: missing \(a model folder holds config\.json, tokenizer\.json/);

  const port = await closedPort();
  const refused = await run('complete', `${path.join(repo, 'src', 'a.ts')}:1:1`, '--endpoint', `http://127.0.0.1:${port}`, '--server-model', 'm');
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`Nothing is listening at http://127\\.0\\.0\\.1:${port}/v1.* or change --endpoint\\.`));
  assert.doesNotMatch(refused.stderr, /squeeze\.backend\./);
  noStack(folder.stderr + noTokenizer.stderr + refused.stderr);
});

/** A local port that was just free (listened on, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('generate: an unknown --provider or --precision is a usage error, not a crash or a silent fallback', async () => {
  const precision = await run('generate', '--model', DECODER, '--prompt', 'hi', '--precision', 'q3');
  assert.equal(precision.code, 2);
  assert.match(precision.stderr, /^--precision must be one of auto, q8, fp32, fp16, q4, got q3\n/);
  const provider = await run('generate', '--model', DECODER, '--prompt', 'hi', '--provider', 'gpu');
  assert.equal(provider.code, 2);
  assert.match(provider.stderr, /^--provider must be one of auto, cuda, webgpu, cpu, got gpu\n/);
  assert.equal(provider.stdout, '', 'nothing was generated');
});

test('eval names a missing or folder tasks file and how to build one', async () => {
  const repo = tinyRepo();
  const r = await run('eval', repo);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^squeeze eval: .*squeeze-user-errors-\w+ is a folder; give a tasks \.jsonl file \(`npm run eval:devset` builds/);
  const missing = await run('eval', path.join(repo, 'tasks.jsonl'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^squeeze eval: file not found: .*tasks\.jsonl \(`npm run eval:devset`/);
});
