/**
 * Reads and writes one segment: `chunks-<gen>.jsonl` (one chunk per line) and `vectors-<gen>.f32`
 * (one little-endian Float32 row of `dim` values per chunk, same order). Both are written once, atomically,
 * and checked against the sizes and sha256 recorded in the manifest when read.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Chunk } from '../../common/chunk/chunk.ts';
import { sha256, sha256File, writeFileAtomic, type FilePiece } from '../fs/atomicFile.ts';
import { chunksFileName, vectorsFileName, type ChunkRange, type SegmentInfo } from './indexManifest.ts';

/** The stored data does not match its manifest (missing, truncated or altered files). */
export class IndexCorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexCorruptError';
  }
}

const PIECE_CHARS = 1 << 20;

function* jsonLines(chunks: readonly Chunk[]): Generator<FilePiece> {
  let piece = '';
  for (const c of chunks) {
    piece += JSON.stringify(c) + '\n';
    if (piece.length >= PIECE_CHARS) {
      yield piece;
      piece = '';
    }
  }
  if (piece.length > 0) yield piece;
}

export async function writeSegment(dir: string, gen: number, chunks: readonly Chunk[], rows: Float32Array): Promise<SegmentInfo> {
  const c = await writeFileAtomic(path.join(dir, chunksFileName(gen)), jsonLines(chunks));
  const v = await writeFileAtomic(path.join(dir, vectorsFileName(gen)), [new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength)]);
  const chunksMtimeMs = (await fs.stat(path.join(dir, chunksFileName(gen)))).mtimeMs;
  const vectorsMtimeMs = (await fs.stat(path.join(dir, vectorsFileName(gen)))).mtimeMs;
  return {
    gen, rows: chunks.length, chunksBytes: c.bytes, chunksSha256: c.sha256, chunksMtimeMs,
    vectorsBytes: v.bytes, vectorsSha256: v.sha256, vectorsMtimeMs,
  };
}

/** Reads a whole file into `buf` (exactly its size), checking the size and sha256 against the manifest. */
async function readChecked(file: string, sha: string, buf: Uint8Array): Promise<void> {
  const bytes = buf.byteLength;
  let read = -1;
  try {
    const handle = await fs.open(file, 'r');
    try {
      read = (await handle.read(buf, 0, bytes, 0)).bytesRead;
      if (read === bytes && (await handle.read(Buffer.alloc(1), 0, 1, bytes)).bytesRead > 0) read = bytes + 1;
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw new IndexCorruptError(`${path.basename(file)} cannot be read (${(e as Error).message})`);
  }
  if (read !== bytes) throw new IndexCorruptError(`${path.basename(file)} does not have the ${bytes} bytes the manifest says`);
  if (sha256(buf) !== sha) throw new IndexCorruptError(`${path.basename(file)} does not match its checksum`);
}

export async function readSegmentChunks(dir: string, seg: SegmentInfo): Promise<Chunk[]> {
  const buf = Buffer.allocUnsafeSlow(seg.chunksBytes);
  await readChecked(path.join(dir, chunksFileName(seg.gen)), seg.chunksSha256, buf);
  const chunks: Chunk[] = [];
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    if (end > start) chunks.push(JSON.parse(buf.toString('utf8', start, end)) as Chunk);
    start = end + 1;
  }
  if (chunks.length !== seg.rows) throw new IndexCorruptError(`${chunksFileName(seg.gen)} has ${chunks.length} chunks, the manifest says ${seg.rows}`);
  return chunks;
}

export async function readSegmentVectors(dir: string, seg: SegmentInfo, dim: number): Promise<Float32Array> {
  if (seg.vectorsBytes !== seg.rows * dim * 4) throw new IndexCorruptError(`segment ${seg.gen} has a vectors size that does not fit ${seg.rows} rows`);
  const rows = new Float32Array(seg.rows * dim);
  await readChecked(path.join(dir, vectorsFileName(seg.gen)), seg.vectorsSha256, new Uint8Array(rows.buffer));
  return rows;
}

/** Reads rows [row, row + count) of a segment without reading the rest (checked by `verifySegment`). */
export async function readSegmentRows(dir: string, seg: SegmentInfo, range: ChunkRange, dim: number): Promise<Float32Array> {
  const rows = new Float32Array(range.count * dim);
  const bytes = rows.byteLength;
  const buf = new Uint8Array(rows.buffer);
  const handle = await fs.open(path.join(dir, vectorsFileName(seg.gen)), 'r');
  try {
    const { bytesRead } = await handle.read(buf, 0, bytes, range.row * dim * 4);
    if (bytesRead !== bytes) throw new IndexCorruptError(`${vectorsFileName(seg.gen)} is shorter than the manifest says`);
  } finally {
    await handle.close();
  }
  return rows;
}

/**
 * Checks that both files exist with the recorded sizes. Their sha256 is checked too when `checksums`,
 * or when a file's mtime is not the one recorded at write time (something touched it since; compared
 * in whole milliseconds, the precision that survives a copy or a `utimes`).
 */
export async function verifySegment(dir: string, seg: SegmentInfo, checksums: boolean): Promise<void> {
  const files: [string, number, string, number][] = [
    [chunksFileName(seg.gen), seg.chunksBytes, seg.chunksSha256, seg.chunksMtimeMs],
    [vectorsFileName(seg.gen), seg.vectorsBytes, seg.vectorsSha256, seg.vectorsMtimeMs],
  ];
  for (const [name, bytes, sha, mtimeMs] of files) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat) throw new IndexCorruptError(`${name} is missing`);
    if (stat.size !== bytes) throw new IndexCorruptError(`${name} has ${stat.size} bytes, the manifest says ${bytes}`);
    if ((checksums || Math.round(stat.mtimeMs) !== Math.round(mtimeMs)) && (await sha256File(file)) !== sha) throw new IndexCorruptError(`${name} does not match its checksum`);
  }
}
