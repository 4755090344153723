import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS } from '../../../src/cli/runCli.ts';
import { runCliCaptured } from '../support/captureOutput.ts';

const run = runCliCaptured;

test('--help lists every command; no command is a usage error', async () => {
  const help = await run('--help');
  assert.equal(help.code, 0);
  for (const c of COMMANDS) assert.match(help.stdout, new RegExp(`^  ${c.name}\\s`, 'm'));
  const none = await run();
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage: squeeze <command>/);
});

test('each of index, search and demo has its own --help', async () => {
  for (const name of ['index', 'search', 'demo']) {
    const r = await run(name, '--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`Usage: squeeze ${name}`));
  }
  assert.match((await run('help', 'search')).stdout, /Usage: squeeze search/);
});

test('wrong argument counts are usage errors', async () => {
  const r = await run('search', '.');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /wrong number of arguments/);
  assert.equal((await run('index', 'a', 'b')).code, 2);
  assert.equal((await run('index', '.', '--max-file-bytes', '-5')).code, 2);
});
