import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runModelsCommand } from '../../../../src/cli/commands/models.ts';
import type { CliOutput, ModelsCommandIo } from '../../../../src/cli/commands/models.ts';
import { MODEL_CATALOG } from '../../../../src/common/models/modelCatalog.ts';
import { renderProgressLine, formatDuration } from '../../../../src/common/models/progressLine.ts';
import { CancellationTokenSource } from '../../../../src/common/cancellation.ts';
import { FakeModelHub, fakeBytes } from './fakeModelHub.ts';

class Capture implements CliOutput {
  text = '';
  readonly isTTY: boolean;
  readonly columns = 100;
  constructor(isTTY = false) {
    this.isTTY = isTTY;
  }
  write(t: string): boolean {
    this.text += t;
    return true;
  }
}

let hub: FakeModelHub;
let root: string;
beforeEach(async () => {
  hub = await FakeModelHub.start();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'squeeze-cli-'));
});
afterEach(async () => {
  try {
    await hub.close();
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

function io(tty = false): ModelsCommandIo & { stdout: Capture; stderr: Capture } {
  return { stdout: new Capture(), stderr: new Capture(tty), env: { SQUEEZE_MODELS_DIR: root, SQUEEZE_MODEL_MIRROR: hub.url }, token: new CancellationTokenSource().token };
}

describe('squeeze models', () => {
  test('list shows the catalog and what is installed; pull installs the encoder from the mirror', async () => {
    const encoder = MODEL_CATALOG.find((e) => e.name === 'all-minilm-l6-v2');
    assert.ok(encoder);
    for (const f of encoder.files) hub.add(f.path, fakeBytes(f.path.endsWith('.onnx') ? 200_000 : 500, f.path.length), f.path.endsWith('.onnx'));
    const before = io();
    assert.equal(await runModelsCommand(['list'], before), 0);
    assert.match(before.stdout.text, /all-minilm-l6-v2 +encoder +24 MB/);
    const pull = io(true);
    assert.equal(await runModelsCommand(['pull', 'all-minilm-l6-v2'], pull), 0, pull.stderr.text);
    assert.match(pull.stdout.text, /Installed: all-minilm-l6-v2 \(4 files, 202 kB\) in .*all-minilm-l6-v2\nSet squeeze\.models\.encoderPath/);
    assert.match(pull.stderr.text, /\r\x1b\[2K\[4\/4\] onnx\/model_quantized\.onnx \[#+\] 100%/);
    const after = io();
    assert.equal(await runModelsCommand(['list', '--json'], after), 0);
    const listed = JSON.parse(after.stdout.text) as { models: { name: string; state: string }[] };
    assert.match(listed.models.find((m) => m.name === 'all-minilm-l6-v2')?.state ?? '', /^installed /);
  });

  test('usage errors and unknown models', async () => {
    const bad = io();
    assert.equal(await runModelsCommand(['pull'], bad), 2);
    assert.match(bad.stderr.text, /Usage:/);
    assert.equal(await runModelsCommand(['list', '--nope'], io()), 2);
    const unknown = io();
    assert.equal(await runModelsCommand(['pull', 'nope'], unknown), 1);
    assert.match(unknown.stderr.text, /Unknown model "nope"\. Available: qwen2\.5-coder-0\.5b/);
  });

  test('progress line', () => {
    const line = renderProgressLine({ file: 'onnx/model.onnx', fileIndex: 1, fileCount: 5, fileBytes: 320e6, fileTotal: 640e6, bytesPerSecond: 10e6 }, 100);
    assert.equal(line, '[2/5] onnx/model.onnx [###############---------------] 50% 320 MB/640 MB 10 MB/s ETA 32s');
    assert.ok(renderProgressLine({ file: 'x', fileIndex: 0, fileCount: 1, fileBytes: 5, fileTotal: undefined, bytesPerSecond: 0 }).startsWith('[1/1] x 5 B'));
    assert.deepEqual([5, 75, 3725].map(formatDuration), ['5s', '1m15s', '1h02m']);
  });
});
