import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BackendError } from '../../../src/common/backend/backendErrors.ts';
import { cliErrorMessage } from '../../../src/cli/cliErrorMessage.ts';
import { describeError } from '../../../src/cli/cliCommand.ts';
import { ModelFolderError } from '../../../src/node/generate/modelFolder.ts';

test('a missing file is named by its path, without the errno noise', async () => {
  const missing = path.join(os.tmpdir(), 'squeeze-no-such-file-7.ts');
  const e = await fs.readFile(missing).catch((x: unknown) => x);
  assert.equal(cliErrorMessage(e), `file not found: ${missing}`);
  assert.equal(describeError(e, false), `file not found: ${missing}`);
  const folder = await fs.readFile(os.tmpdir()).catch((x: unknown) => x);
  assert.match(cliErrorMessage(folder), /is a folder where a file is needed$/);
  assert.doesNotMatch(cliErrorMessage(folder), /EISDIR|illegal operation/);
  const underFile = path.join(import.meta.filename, 'index-v2');
  const notDir = await fs.mkdir(underFile, { recursive: true }).catch((x: unknown) => x);
  assert.equal(cliErrorMessage(notDir), `${underFile}: part of this path is a file, not a folder`);
});

test('model-folder errors say what a decoder or an encoder folder holds and how to get one', () => {
  const decoder = cliErrorMessage(new ModelFolderError('/m', 'tokenizer.json', 'missing'));
  assert.match(decoder, /^\/m\/tokenizer\.json: missing \(a model folder holds config\.json, tokenizer\.json, tokenizer_config\.json and onnx\/model\*\.onnx;/);
  assert.match(decoder, /squeeze models pull <name>/);
  const encoder = cliErrorMessage(new ModelFolderError('/e', '', 'encoder model folder not found'));
  assert.match(encoder, /an encoder folder holds tokenizer\.json and onnx\/model\*\.onnx; `squeeze models pull all-minilm-l6-v2`/);
});

test('backend errors name the command-line flag instead of the editor setting', () => {
  const refused = cliErrorMessage(new BackendError('CONNECTION_REFUSED', { url: 'http://127.0.0.1:1234/v1/models' }));
  assert.match(refused, /Nothing is listening at http:\/\/127\.0\.0\.1:1234\/v1\/models\..* or change --endpoint\.$/);
  assert.doesNotMatch(refused, /squeeze\.backend/);
  const invalid = cliErrorMessage(new BackendError('INVALID_ENDPOINT', { url: 'x', detail: '"x" is not a URL' }));
  assert.match(invalid, /^--endpoint is not a usable endpoint: "x" is not a URL\. Use a URL such as http:\/\/127\.0\.0\.1:11434\/v1\.$/);
  const auth = cliErrorMessage(new BackendError('UNAUTHORIZED', { url: 'http://h/v1', status: 401 }));
  assert.match(auth, /The CLI sends no API key/);
  assert.doesNotMatch(auth, /apiKey/);
});

test('other errors keep their first line; --verbose shows the stack', () => {
  const e = new Error('first line\nsecond line');
  assert.equal(cliErrorMessage(e), 'first line');
  assert.match(describeError(e, true), /^Error: first line\nsecond line\n\s+at /);
  assert.equal(cliErrorMessage('plain'), 'plain');
});
