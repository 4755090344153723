// Shared by the encoder tests: the committed tiny encoders, the worker entries bundled once per test file
// (as esbuild.mjs bundles dist/workers/encoderWorker.cjs), and a reference embedding computed directly
// with onnxruntime + @huggingface/tokenizers + a hand-written mean pool.
import { after } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';

export const TINY_ENCODER = path.resolve('test/models/tiny-encoder');
export const TINY_ENCODER_NO_TYPES = path.resolve('test/models/tiny-encoder-no-types');
export const TINY_DECODER = path.resolve('test/models/tiny-decoder');
const HERE = path.dirname(new URL(import.meta.url).pathname);

const made: string[] = [];
const BUNDLE_ROOT = path.resolve('node_modules/.cache/squeeze-encoder-test');
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  try {
    fs.rmdirSync(BUNDLE_ROOT); // only when no other test file still has a bundle there
  } catch {
    // not empty, or already gone
  }
});

export function tempDir(prefix = 'squeeze-encode-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A temp copy of a model folder, to damage in a test. */
export function copyFolder(src: string): string {
  const dir = path.join(tempDir(), path.basename(src));
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}

let bundles: Promise<{ worker: string; stalling: string }> | undefined;

/**
 * The real worker entry and a test entry that can stall or crash on request, bundled as CommonJS like
 * dist/workers/*.cjs. The folder sits under node_modules/.cache so that the external onnxruntime-node
 * resolves from it as it does from dist/.
 */
export function bundleWorkers(): Promise<{ worker: string; stalling: string }> {
  bundles ??= (async () => {
    const outdir = path.join(BUNDLE_ROOT, `${process.pid}-${Date.now().toString(36)}`);
    made.push(outdir);
    await esbuild.build({
      entryPoints: { encoderWorker: path.resolve('src/node/workers/encoderWorker.ts'), stallingEncoderWorker: path.join(HERE, 'stallingEncoderWorker.ts') },
      outdir, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent', outExtension: { '.js': '.cjs' },
      external: ['onnxruntime-node'], define: { 'import.meta.url': '__metaUrl' }, banner: { js: 'const __metaUrl = require("node:url").pathToFileURL(__filename).href;' },
    });
    return { worker: path.join(outdir, 'encoderWorker.cjs'), stalling: path.join(outdir, 'stallingEncoderWorker.cjs') };
  })();
  return bundles;
}

/** The reference: one text per session.run (no padding), mean over all its tokens, divided by the L2 norm. */
export async function referenceVectors(dir: string, texts: readonly string[], file = 'model.onnx'): Promise<Float32Array[]> {
  const readJson = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as object;
  const tok = new Tokenizer(readJson('tokenizer.json'), readJson('tokenizer_config.json'));
  const session = await InferenceSession.create(path.join(dir, 'onnx', file), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const out: Float32Array[] = [];
  for (const text of texts) {
    const ids = tok.encode(text).ids;
    const i64 = (values: number[]) => new Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
    const feeds: Record<string, Tensor> = { input_ids: i64(ids), attention_mask: i64(ids.map(() => 1)) };
    if (session.inputNames.includes('token_type_ids')) feeds['token_type_ids'] = i64(ids.map(() => 0));
    const h = (await session.run(feeds))['last_hidden_state'] as Tensor;
    const [, seq, dim] = h.dims as [number, number, number];
    const data = h.data as Float32Array;
    const mean = new Array<number>(dim).fill(0);
    for (let s = 0; s < seq; s++) for (let d = 0; d < dim; d++) mean[d]! += data[s * dim + d]! / seq;
    const norm = Math.hypot(...mean);
    out.push(Float32Array.from(mean, (x) => x / norm));
  }
  await session.release();
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export const norm = (v: ArrayLike<number>): number => Math.hypot(...Array.from(v));

/** Code-like texts of very different lengths (1 to a few hundred tokens). */
export const TEXTS: readonly string[] = [
  'def add(a, b):\n    return a + b\n',
  'x',
  'export function parseConfig(text: string): Record<string, string> {\n  const result = {};\n  for (const line of text.split("\\n")) {\n    const [k, v] = line.split("=");\n    result[k] = v;\n  }\n  return result;\n}\n',
  '',
  'class Stack:\n    def push(self, item):\n        self.items.append(item)\n',
  'for (let i = 0; i < n; i++) total += values[i];\n'.repeat(12),
  'SELECT id, name FROM users WHERE id = 1;',
  'fn main() { println!("hello"); }',
];
