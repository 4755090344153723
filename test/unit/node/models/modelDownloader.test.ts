import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pullModel } from '../../../../src/node/models/modelDownloader.ts';
import type { PullOptions, PullProgress } from '../../../../src/node/models/modelDownloader.ts';
import { listModelsDir } from '../../../../src/node/models/modelStore.ts';
import { MANIFEST_FILE } from '../../../../src/common/models/modelManifest.ts';
import { ModelDownloadError } from '../../../../src/common/models/modelErrors.ts';
import type { ModelErrorCode } from '../../../../src/common/models/modelErrors.ts';
import { CancellationTokenSource, isCancellationError } from '../../../../src/common/cancellation.ts';
import { FakeModelHub, TEST_ENTRY, addTestModel, sha256 } from './fakeModelHub.ts';

const MODEL = 'onnx/model_quantized.onnx';
let hub: FakeModelHub;
let root: string;
let contents: Map<string, Buffer>;

beforeEach(async () => {
  hub = await FakeModelHub.start();
  contents = addTestModel(hub);
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'squeeze-models-'));
});
afterEach(async () => {
  await hub.close();
  await fs.rm(root, { recursive: true, force: true });
});

const opts = (extra: Partial<PullOptions> = {}): PullOptions => ({ modelsDir: root, mirror: hub.url, idleTimeoutMs: 2000, ...extra });
const dest = () => path.join(root, TEST_ENTRY.name);
const partPath = () => path.join(`${dest()}.partial`, 'onnx', 'model_quantized.onnx.part');
const exists = (p: string) => fs.stat(p).then(() => true, () => false);

async function rejectsWith(p: Promise<unknown>, code: ModelErrorCode): Promise<ModelDownloadError> {
  const e = await p.then(() => assert.fail(`expected ${code}`), (err: unknown) => err);
  assert.ok(e instanceof ModelDownloadError, String(e));
  assert.equal(e.code, code, e.message);
  return e;
}

async function assertInstalled(): Promise<void> {
  for (const [p, bytes] of contents) assert.deepEqual(await fs.readFile(path.join(dest(), p)), bytes, p);
  assert.equal(await exists(`${dest()}.partial`), false, 'no .partial folder left');
}

describe('pullModel', () => {
  test('downloads every file, verifies LFS files against the stated sha256, writes the manifest last', async () => {
    const progress: PullProgress[] = [];
    const r = await pullModel(TEST_ENTRY, opts({ onProgress: (p) => progress.push(p) }));
    assert.equal(r.alreadyInstalled, false);
    assert.equal(r.dir, dest());
    await assertInstalled();
    const manifest = JSON.parse(await fs.readFile(path.join(dest(), MANIFEST_FILE), 'utf8')) as typeof r.manifest;
    assert.deepEqual(manifest, r.manifest);
    assert.deepEqual(manifest.skipped, ['generation_config.json']);
    const model = manifest.files.find((f) => f.path === MODEL);
    assert.deepEqual(model, { path: MODEL, size: 300_000, sha256: sha256(contents.get(MODEL) ?? Buffer.alloc(0)), verifiedBy: 'server' });
    assert.equal(manifest.files.find((f) => f.path === 'config.json')?.verifiedBy, 'none', 'a git ETag is not taken for a sha256');
    const bytes = progress.map((p) => p.bytes);
    assert.deepEqual(bytes, [...bytes].sort((a, b) => a - b), 'progress only grows');
    const last = progress.at(-1);
    assert.equal(last?.bytes, [...contents.values()].reduce((n, b) => n + b.length, 0));
    assert.equal(last?.fileTotal, 300_000);
  });

  test('a second pull finds the model installed and sends nothing', async () => {
    await pullModel(TEST_ENTRY, opts());
    hub.requests.length = 0;
    const r = await pullModel(TEST_ENTRY, opts());
    assert.equal(r.alreadyInstalled, true);
    assert.equal(hub.requests.length, 0);
    const listing = await listModelsDir(root);
    assert.deepEqual(listing.installed.map((m) => m.manifest.name), ['tiny-test']);
  });

  test('an interrupted transfer resumes with Range on the next run', async () => {
    hub.cutAfter.set(MODEL, 100_000);
    await rejectsWith(pullModel(TEST_ENTRY, opts()), 'INTERRUPTED');
    assert.equal(await exists(dest()), false, 'no folder that looks complete');
    const partSize = (await fs.stat(partPath())).size;
    assert.ok(partSize > 0 && partSize <= 100_000, `part holds ${partSize} bytes`);
    assert.deepEqual((await listModelsDir(root)).partial, ['tiny-test']);
    hub.requests.length = 0;
    await pullModel(TEST_ENTRY, opts());
    await assertInstalled();
    const resumed = hub.requests.filter((r) => r.path.endsWith('model_quantized.onnx'));
    assert.ok(resumed.length > 0 && resumed.every((r) => r.range === `bytes=${partSize}-`));
    assert.ok(hub.requests.every((r) => !r.path.endsWith('config.json')), 'finished files are not fetched again');
  });

  test('a server that ignores Range makes the download restart from zero', async () => {
    hub.cutAfter.set(MODEL, 50_000);
    await rejectsWith(pullModel(TEST_ENTRY, opts()), 'INTERRUPTED');
    hub.ignoreRange = true;
    await pullModel(TEST_ENTRY, opts());
    await assertInstalled();
  });

  test('a checksum mismatch names the file and removes the part', async () => {
    const bad = Buffer.from(contents.get(MODEL) ?? Buffer.alloc(0));
    bad[1234] = (bad[1234] ?? 0) ^ 0xff;
    hub.corrupt.set(MODEL, bad);
    const e = await rejectsWith(pullModel(TEST_ENTRY, opts()), 'CHECKSUM_MISMATCH');
    assert.equal(e.file, MODEL);
    assert.match(e.message, /onnx\/model_quantized\.onnx/);
    assert.match(e.message, /the server says/);
    assert.equal(await exists(partPath()), false);
    assert.equal(await exists(dest()), false);
  });

  test('the catalog sha256 wins over the server and is recorded as such', async () => {
    const wrong = { ...TEST_ENTRY, files: TEST_ENTRY.files.map((f) => (f.path === 'config.json' ? { ...f, sha256: '0'.repeat(64) } : f)) };
    const e = await rejectsWith(pullModel(wrong, opts()), 'CHECKSUM_MISMATCH');
    assert.match(e.message, /config\.json.*the catalog says 0{64}/);
    const right = { ...TEST_ENTRY, files: TEST_ENTRY.files.map((f) => (f.path === 'config.json' ? { ...f, sha256: sha256(contents.get('config.json') ?? Buffer.alloc(0)) } : f)) };
    const r = await pullModel(right, opts());
    assert.equal(r.manifest.files.find((f) => f.path === 'config.json')?.verifiedBy, 'catalog');
  });

  test('cancellation keeps the part for the next run', async () => {
    hub.stallAfter.set(MODEL, 64_000);
    const cts = new CancellationTokenSource();
    const p = pullModel(TEST_ENTRY, opts({ token: cts.token, onProgress: (pr) => pr.file === MODEL && pr.fileBytes >= 64_000 && cts.cancel() }));
    await assert.rejects(p, (e: unknown) => isCancellationError(e));
    assert.equal((await fs.stat(partPath())).size, 64_000);
    hub.stallAfter.clear();
    await pullModel(TEST_ENTRY, opts());
    await assertInstalled();
  });

  test('a stalled transfer times out and can be resumed', async () => {
    hub.stallAfter.set(MODEL, 10_000);
    await rejectsWith(pullModel(TEST_ENTRY, opts({ idleTimeoutMs: 200 })), 'TIMEOUT');
    hub.stallAfter.clear();
    await pullModel(TEST_ENTRY, opts());
    await assertInstalled();
  });

  test('a missing required file is an HTTP error naming it', async () => {
    hub.files.delete('tokenizer.json');
    const e = await rejectsWith(pullModel(TEST_ENTRY, opts()), 'HTTP_ERROR');
    assert.equal(e.file, 'tokenizer.json');
    assert.match(e.message, /HTTP 404/);
  });

  test('SQUEEZE_MODEL_MIRROR and --dest are honoured; a foreign folder is never replaced', async () => {
    const target = path.join(root, 'custom', 'place');
    await pullModel(TEST_ENTRY, { dest: target, env: { SQUEEZE_MODEL_MIRROR: hub.url } });
    assert.ok(await exists(path.join(target, MANIFEST_FILE)));
    const foreign = path.join(root, 'mine');
    await fs.mkdir(foreign);
    await fs.writeFile(path.join(foreign, 'notes.txt'), 'keep me');
    await rejectsWith(pullModel(TEST_ENTRY, opts({ dest: foreign })), 'DESTINATION_NOT_OURS');
    assert.equal(await fs.readFile(path.join(foreign, 'notes.txt'), 'utf8'), 'keep me');
  });

  test('--force downloads again and replaces the folder', async () => {
    await pullModel(TEST_ENTRY, opts());
    await fs.writeFile(path.join(dest(), 'stale.txt'), 'x');
    const r = await pullModel(TEST_ENTRY, opts({ force: true }));
    assert.equal(r.alreadyInstalled, false);
    assert.equal(await exists(path.join(dest(), 'stale.txt')), false);
    await assertInstalled();
  });

  test('unknown names and concurrent pulls into one folder are refused', async () => {
    await rejectsWith(pullModel('gpt-5', opts()), 'UNKNOWN_MODEL');
    hub.stallAfter.set(MODEL, 1000);
    const cts = new CancellationTokenSource();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const first = pullModel(TEST_ENTRY, opts({ token: cts.token, onProgress: () => started() }));
    await running;
    await rejectsWith(pullModel(TEST_ENTRY, opts()), 'LOCKED');
    cts.cancel();
    await assert.rejects(first, (e: unknown) => isCancellationError(e));
  });
});
