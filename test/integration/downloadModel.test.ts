import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, setting } from './util/testEnv.ts';

/** A stand-in for the model hub: `/<repo>/resolve/<revision>/<file>` served from a local folder. */
async function serveFolder(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const m = /^\/[^/]+\/[^/]+\/resolve\/[^/]+\/(.+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const file = m ? path.join(dir, decodeURIComponent(m[1] ?? '')) : '';
    if (!m || !file.startsWith(dir) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const bytes = fs.readFileSync(file);
    res.writeHead(200, { 'content-length': String(bytes.length), 'content-type': 'application/octet-stream' }).end(bytes);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

suite('download model', () => {
  test('downloads a catalog model with progress and points the setting at it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const hub = await serveFolder(path.join(ext.extensionPath, 'test', 'models', 'tiny-encoder'));
    const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-models-'));
    // the test runs in the extension's own process: these reach the downloader
    const saved = { mirror: process.env.SQUEEZE_MODEL_MIRROR, dir: process.env.SQUEEZE_MODELS_DIR };
    process.env.SQUEEZE_MODEL_MIRROR = hub.url;
    process.env.SQUEEZE_MODELS_DIR = modelsDir;
    try {
      const dir = await vscode.commands.executeCommand<string | undefined>('squeeze.downloadModel', 'all-minilm-l6-v2');
      assert.equal(dir, path.join(modelsDir, 'all-minilm-l6-v2'));
      assert.ok(fs.existsSync(path.join(dir, 'onnx', 'model_quantized.onnx')));
      assert.equal(vscode.workspace.getConfiguration('squeeze').get('models.encoderPath'), dir);
    } finally {
      process.env.SQUEEZE_MODEL_MIRROR = saved.mirror ?? '';
      if (saved.mirror === undefined) delete process.env.SQUEEZE_MODEL_MIRROR;
      if (saved.dir === undefined) delete process.env.SQUEEZE_MODELS_DIR;
      else process.env.SQUEEZE_MODELS_DIR = saved.dir;
      await hub.close();
      await setting('models.encoderPath', undefined);
      fs.rmSync(modelsDir, { recursive: true, force: true });
    }
  });
});
