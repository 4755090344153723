/**
 * `--dump DIR` of the attention check: writes each captured layer (keys, queries, chunk of each key) as raw
 * little-endian arrays plus a JSON header, so estimator variants can be compared offline on the same captures.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LayerAttention } from '../../../src/common/context/attentionTypes.ts';

export function dumpLayers(dir: string, name: string, layers: readonly LayerAttention[]): void {
  const out = path.join(dir, name);
  fs.mkdirSync(out, { recursive: true });
  const a = layers[0];
  if (!a) return;
  const meta = { heads: a.heads, kvHeads: a.kvHeads, headDim: a.headDim, length: a.length, queryCount: a.queryCount, chunks: a.chunks, layers: layers.length };
  fs.writeFileSync(path.join(out, 'meta.json'), JSON.stringify(meta));
  fs.writeFileSync(path.join(out, 'chunkOf.i32'), Buffer.from(a.chunkOf.buffer, a.chunkOf.byteOffset, a.chunkOf.byteLength));
  layers.forEach((l, i) => {
    fs.writeFileSync(path.join(out, `keys.${i}.f32`), Buffer.from(l.keys.buffer, l.keys.byteOffset, l.keys.byteLength));
    fs.writeFileSync(path.join(out, `queries.${i}.f32`), Buffer.from(l.queries.buffer, l.queries.byteOffset, l.queries.byteLength));
  });
}
