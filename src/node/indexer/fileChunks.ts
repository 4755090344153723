/**
 * Reads one scanned file with the scanner's text decoder and chunks it. The entry records the hash of
 * the bytes actually chunked, so a file edited between scan and read is caught by the next run.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Chunk } from '../../common/chunk/chunk.ts';
import type { ScannedFile, SkipReason } from '../../common/scan/scannedFile.ts';
import { decodeText, NotTextError } from '../scan/readTextFile.ts';
import { sha256 } from '../fs/atomicFile.ts';

/** What the indexer needs of a chunker (AstChunker, or a fake in tests). */
export interface FileChunker {
  chunk(path: string, text: string, language?: string): Promise<Chunk[]>;
  dispose?(): void;
}

export type ChunkedFile =
  | { readonly ok: true; readonly file: ScannedFile; readonly chunks: Chunk[] }
  | { readonly ok: false; readonly file: ScannedFile; readonly reason: SkipReason; readonly detail: string };

export interface ReadFile {
  readonly file: ScannedFile;
  readonly text?: string;
  readonly reason?: SkipReason;
  readonly detail?: string;
}

/** Reads and decodes; never throws for a file-level problem (it becomes a skip reason). */
export async function readScannedFile(root: string, file: ScannedFile): Promise<ReadFile> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(root, file.path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { file, reason: code === 'ENOENT' ? 'VANISHED' : 'UNREADABLE', detail: code ?? (e as Error).message };
  }
  const actual: ScannedFile = { ...file, size: bytes.length, hash: sha256(bytes) };
  try {
    return { file: actual, text: decodeText(bytes) };
  } catch (e) {
    if (e instanceof NotTextError) return { file: actual, reason: 'NOT_TEXT', detail: e.message };
    throw e;
  }
}

export async function chunkReadFile(read: ReadFile, chunker: FileChunker): Promise<ChunkedFile> {
  if (read.text === undefined) return { ok: false, file: read.file, reason: read.reason ?? 'UNREADABLE', detail: read.detail ?? '' };
  try {
    return { ok: true, file: read.file, chunks: await chunker.chunk(read.file.path, read.text) };
  } catch (e) {
    return { ok: false, file: read.file, reason: 'UNREADABLE', detail: `chunker failed: ${(e as Error).message}` };
  }
}
