/** A chunker for reliability tests: fast, deterministic, and its chunks of a file concatenate to the file's text. */
import type { Chunk } from '../../../src/common/chunk/chunk.ts';
import type { FileChunker } from '../../../src/node/indexer/fileChunks.ts';

/** One chunk per 3 lines; the chunks of a file concatenate to its text. */
export class TilingChunker implements FileChunker {
  private readonly onChunk: (path: string) => void;

  constructor(onChunk: (path: string) => void = () => undefined) {
    this.onChunk = onChunk;
  }

  async chunk(p: string, text: string): Promise<Chunk[]> {
    this.onChunk(p);
    const lines = text.split(/(?<=\n)/);
    const chunks: Chunk[] = [];
    let offset = 0;
    for (let i = 0; i < lines.length; i += 3) {
      const piece = lines.slice(i, i + 3).join('');
      chunks.push({
        path: p, language: 'plaintext', span: { start: offset, end: offset + piece.length }, startLine: i + 1,
        endLine: Math.min(lines.length, i + 3), symbolPath: [], text: piece, definitions: [], parser: 'lines',
      });
      offset += piece.length;
    }
    return chunks;
  }
}

