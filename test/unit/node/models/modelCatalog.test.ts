import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { MODEL_CATALOG, catalogFileUrl, findCatalogEntry, formatBytes } from '../../../../src/common/models/modelCatalog.ts';
import { parseManifest } from '../../../../src/common/models/modelManifest.ts';
import { RateMeter } from '../../../../src/common/models/rateMeter.ts';
import { defaultModelsDir } from '../../../../src/node/models/modelStore.ts';
import { resolveMirror } from '../../../../src/node/models/modelDownloader.ts';

describe('model catalog', () => {
  test('names are unique and every entry has the files the loaders need', () => {
    const names = MODEL_CATALOG.map((e) => e.name);
    assert.equal(new Set(names).size, names.length);
    for (const e of MODEL_CATALOG) {
      const files = e.files.map((f) => f.path);
      for (const needed of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) assert.ok(files.includes(needed), `${e.name}: ${needed}`);
      assert.ok(files.some((f) => /^onnx\/model(_quantized)?\.onnx$/.test(f)), `${e.name}: an ONNX model the loader looks for`);
      for (const f of e.files) if (f.sha256 !== undefined) assert.match(f.sha256, /^[0-9a-f]{64}$/);
    }
    assert.ok(['qwen2.5-coder-0.5b', 'qwen2.5-coder-1.5b', 'smollm2-135m', 'all-minilm-l6-v2'].every((n) => findCatalogEntry(n)));
    assert.equal(findCatalogEntry(' Qwen2.5-Coder-0.5B ')?.name, 'qwen2.5-coder-0.5b');
  });

  test('file URLs follow the hub layout under any mirror', () => {
    const e = findCatalogEntry('all-minilm-l6-v2');
    assert.ok(e);
    assert.equal(catalogFileUrl('https://huggingface.co/', e, 'onnx/model_quantized.onnx'), 'https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main/onnx/model_quantized.onnx');
    assert.equal(catalogFileUrl('http://127.0.0.1:9/hf', e, 'config.json'), 'http://127.0.0.1:9/hf/Xenova/all-MiniLM-L6-v2/resolve/main/config.json');
  });

  test('formatBytes', () => {
    assert.deepEqual([12, 2_500, 640_000_000, 1_600_000_000].map(formatBytes), ['12 B', '3 kB', '640 MB', '1.6 GB']);
  });
});

describe('models folder, mirror, manifest, rate', () => {
  test('default folder: SQUEEZE_MODELS_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    assert.equal(defaultModelsDir({ SQUEEZE_MODELS_DIR: '/m' }), path.resolve('/m'));
    assert.equal(defaultModelsDir({ XDG_CACHE_HOME: '/c' }), path.join(path.resolve('/c'), 'squeeze', 'models'));
    assert.match(defaultModelsDir({}), /\.cache[\\/]squeeze[\\/]models$/);
  });

  test('mirror: option, then SQUEEZE_MODEL_MIRROR, then the hub; credentials and other schemes refused', () => {
    assert.equal(resolveMirror({ mirror: 'http://m/', env: { SQUEEZE_MODEL_MIRROR: 'http://x' } }), 'http://m');
    assert.equal(resolveMirror({ env: { SQUEEZE_MODEL_MIRROR: 'http://x/' } }), 'http://x');
    assert.equal(resolveMirror({ env: {} }), 'https://huggingface.co');
    assert.throws(() => resolveMirror({ mirror: 'ftp://m' }));
    assert.throws(() => resolveMirror({ mirror: 'https://u:p@m' }));
  });

  test('parseManifest accepts only complete manifests of this version', () => {
    const ok = { version: 1, name: 'x', files: [{ path: 'a', size: 1, sha256: 'f' }] };
    assert.equal(parseManifest(JSON.stringify(ok))?.name, 'x');
    assert.equal(parseManifest(JSON.stringify({ ...ok, version: 2 })), undefined);
    assert.equal(parseManifest(JSON.stringify({ ...ok, files: [{ path: 'a' }] })), undefined);
    assert.equal(parseManifest('{'), undefined);
  });

  test('RateMeter measures over its window', () => {
    const m = new RateMeter(1000);
    assert.equal(m.rate(), 0);
    m.add(1000, 0);
    m.add(1000, 500);
    assert.equal(m.rate(), 2000);
    m.add(10_000, 3000);
    m.add(10_000, 3500);
    m.add(10_000, 4000);
    assert.equal(m.rate(), 20_000, 'the 0.5 s burst before the window no longer counts');
  });
});
