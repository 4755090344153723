/**
 * The file format of the on-disk embedding cache: one immutable "pack" of vectors per flush.
 *
 *     offset 0   "SQEC"  magic
 *            4   u32     format version (1)
 *            8   u32     dim
 *            12  u32     count
 *            16  count × 32 bytes   sha256 keys (raw)
 *            …   count × dim × f32  vectors, little-endian, in key order
 *
 * A pack is written whole and renamed into place (writeFileAtomic), so a reader never sees half of one;
 * a file whose size does not match its header is not a pack.
 */
import fs from 'node:fs/promises';
import { writeFileAtomic } from '../fs/atomicFile.ts';

const MAGIC = 0x43455153; // "SQEC" read as little-endian u32
const VERSION = 1;
export const PACK_HEADER_BYTES = 16;
export const KEY_BYTES = 32;

export interface PackEntry {
  /** sha256 as 64 hex characters. */
  readonly key: string;
  readonly vector: Float32Array;
}

export interface PackIndex {
  readonly dim: number;
  /** Keys in slot order. */
  readonly keys: readonly string[];
}

export function vectorOffset(count: number, dim: number, slot: number): number {
  return PACK_HEADER_BYTES + count * KEY_BYTES + slot * dim * 4;
}

export async function writePack(file: string, dim: number, entries: readonly PackEntry[]): Promise<void> {
  const header = Buffer.alloc(PACK_HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(VERSION, 4);
  header.writeUInt32LE(dim, 8);
  header.writeUInt32LE(entries.length, 12);
  const keys = Buffer.concat(entries.map((e) => Buffer.from(e.key, 'hex')));
  const vectors = Buffer.alloc(entries.length * dim * 4);
  entries.forEach((e, i) => {
    if (e.vector.length !== dim) throw new Error(`vector of dimension ${e.vector.length} in a pack of dimension ${dim}`);
    for (let h = 0; h < dim; h++) vectors.writeFloatLE(e.vector[h]!, (i * dim + h) * 4);
  });
  await writeFileAtomic(file, [header, keys, vectors]);
}

/** Reads a pack's keys; undefined when the file is not a whole pack of this dimension. */
export async function readPackIndex(file: string, dim: number): Promise<PackIndex | undefined> {
  const handle = await fs.open(file, 'r');
  try {
    const header = Buffer.alloc(PACK_HEADER_BYTES);
    const { size } = await handle.stat();
    if ((await handle.read(header, 0, PACK_HEADER_BYTES, 0)).bytesRead < PACK_HEADER_BYTES) return undefined;
    if (header.readUInt32LE(0) !== MAGIC || header.readUInt32LE(4) !== VERSION || header.readUInt32LE(8) !== dim) return undefined;
    const count = header.readUInt32LE(12);
    if (size !== vectorOffset(count, dim, count)) return undefined;
    const raw = Buffer.alloc(count * KEY_BYTES);
    await handle.read(raw, 0, raw.length, PACK_HEADER_BYTES);
    const keys = Array.from({ length: count }, (_, i) => raw.toString('hex', i * KEY_BYTES, (i + 1) * KEY_BYTES));
    return { dim, keys };
  } finally {
    await handle.close();
  }
}

/** Reads the vectors at `slots` of a pack of `count` entries (one positioned read per vector). */
export async function readPackVectors(file: string, dim: number, count: number, slots: readonly number[]): Promise<Float32Array[]> {
  const handle = await fs.open(file, 'r');
  try {
    const out: Float32Array[] = [];
    for (const slot of slots) {
      const buf = Buffer.alloc(dim * 4);
      await handle.read(buf, 0, buf.length, vectorOffset(count, dim, slot));
      out.push(Float32Array.from({ length: dim }, (_, h) => buf.readFloatLE(h * 4)));
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** Every entry of a pack (for compaction); undefined when the file is not a whole pack of this dimension. */
export async function readPackEntries(file: string, dim: number): Promise<PackEntry[] | undefined> {
  const buf = await fs.readFile(file);
  if (buf.length < PACK_HEADER_BYTES || buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== VERSION || buf.readUInt32LE(8) !== dim) return undefined;
  const count = buf.readUInt32LE(12);
  if (buf.length !== vectorOffset(count, dim, count)) return undefined;
  return Array.from({ length: count }, (_, i) => {
    const at = vectorOffset(count, dim, i);
    const vector = Float32Array.from({ length: dim }, (_, h) => buf.readFloatLE(at + h * 4));
    return { key: buf.toString('hex', PACK_HEADER_BYTES + i * KEY_BYTES, PACK_HEADER_BYTES + (i + 1) * KEY_BYTES), vector };
  });
}
