// Shared by the generate tests: the committed tiny random-weight decoder, and a DecoderModel wrapper that
// counts and records forward passes (and can act in the middle of one, e.g. cancel).
import path from 'node:path';
import type { DecoderModel, ForwardResult, LogitsWanted } from '../../../../src/node/generate/decoderSession.ts';
import type { KvCache } from '../../../../src/node/generate/kvCache.ts';
import { OnnxDecoder } from '../../../../src/node/generate/onnxDecoder.ts';
import type { LoadOptions } from '../../../../src/node/generate/onnxDecoder.ts';

export const TINY_DECODER = path.resolve('test/models/tiny-decoder');
export const TINY_ENCODER = path.resolve('test/models/tiny-encoder');

export function loadTiny(o: LoadOptions = {}): Promise<OnnxDecoder> {
  return OnnxDecoder.load(TINY_DECODER, { precision: 'fp32', provider: 'cpu', threads: 1, ...o });
}

export interface PassRecord {
  readonly ids: readonly number[];
  readonly positions: readonly number[];
  readonly pastLength: number;
  readonly logits: Float32Array;
}

/** Wraps a model: records every pass; `during(n)` runs inside pass n (1-based) before it returns. */
export class RecordingModel implements DecoderModel {
  readonly passes: PassRecord[] = [];
  during: ((pass: number) => void) | undefined;
  private readonly inner: DecoderModel;

  constructor(inner: DecoderModel) {
    this.inner = inner;
  }

  get layout() {
    return this.inner.layout;
  }

  get vocabSize() {
    return this.inner.vocabSize;
  }

  async forward(ids: readonly number[], positions: readonly number[], cache: KvCache, logits: LogitsWanted): Promise<ForwardResult> {
    const r = await this.inner.forward(ids, positions, cache, logits);
    this.passes.push({ ids: [...ids], positions: [...positions], pastLength: cache.length, logits: r.logits });
    this.during?.(this.passes.length);
    return r;
  }
}

/** A decoder over the same folder and session whose passes are recorded. */
export function recorded(d: OnnxDecoder, o: { prefillChunk?: number; maxCacheBytes?: number } = {}): { decoder: OnnxDecoder; model: RecordingModel } {
  const model = new RecordingModel(d.model);
  return { decoder: new OnnxDecoder(d.folder, model, d.provider, o), model };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** 20 prompts: code of several languages, some with copies and repetition so that drafts get accepted. */
export const PROMPTS: readonly string[] = [
  'def fibonacci(n):\n    if n < 2:\n        return n\n    return fibonacci(n - 1) + fibonacci(n - 2)\n',
  'export function parseConfig(text: string): Record<string, string> {\n  const result = {};\n',
  'class Stack:\n    def push(self, item):\n        self.items.append(item)\n    def pop(self):\n',
  'x = 1\ny = 2\nz = 3\nx = 1\ny = 2\nz = 3\nx = 1\n',
  'for (let i = 0; i < n; i++) {\n  total += values[i];\n}\nfor (let i = 0; i < n; i++) {\n',
  'import fs from "node:fs";\nimport path from "node:path";\nimport os from "node:os";\nimport ',
  'hello world hello world hello world hello',
  'func sum(values []int) int {\n    total := 0\n    for _, v := range values {\n',
  'public static int max(int[] array) {\n    int best = array[0];\n',
  'a, b, c, d, e, f, g, h, a, b, c, d, e, f, g, h, a, b, c,',
  'SELECT id, name FROM users WHERE id = 1;\nSELECT id, name FROM users WHERE id = 2;\nSELECT id, name FROM users WHERE id =',
  'fn main() {\n    let mut map = HashMap::new();\n    for word in text.split_whitespace() {\n',
  '<div class="row"><div class="col"></div><div class="col"></div><div class="col">',
  'const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3,',
  'async function fetchJson(url) {\n  const response = await fetch(url);\n',
  'if (values[mid] === target) return mid;\nif (values[mid] < target) low = mid + 1;\n',
  '# TODO: refactor\n# TODO: refactor\n# TODO: refactor\n# TODO:',
  'while low <= high:\n    mid = (low + high) // 2\n',
  'self.a = a\nself.b = b\nself.c = c\nself.d = d\nself.',
  'println!("{:?}", map);\nprintln!("{:?}", map);\nprintln!(',
];
