/**
 * Loads a repository for the eval: scan with the indexer's scanner (same ignore rules and excludes),
 * read and chunk every file with the same chunker the index uses. The whole repository is loaded once;
 * the leakage rule is applied per task by the retrievers (see src/common/eval/evalCorpus.ts).
 */
import type { Chunk } from '../../common/chunk/chunk.ts';
import { languageForPath } from '../../common/chunk/languages.ts';
import type { CorpusFile } from '../../common/eval/evalCorpus.ts';
import type { Logger } from '../../common/log.ts';
import { AstChunker } from '../chunk/astChunker.ts';
import { readScannedFile } from '../indexer/fileChunks.ts';
import { scanRepository } from '../scan/repositoryScanner.ts';

export interface LoadRepoOptions {
  readonly chunkTokens?: number;
  readonly extraExcludes?: readonly string[];
  readonly logger?: Logger;
}

/** Every indexable file of `root` with its text and chunks, sorted by path. */
export async function loadRepoFiles(root: string, options: LoadRepoOptions = {}): Promise<CorpusFile[]> {
  const scan = await scanRepository(root, {
    extraExcludes: options.extraExcludes ?? [],
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const chunker = new AstChunker({
    ...(options.chunkTokens ? { chunkTokens: options.chunkTokens } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const out: CorpusFile[] = [];
  try {
    for (const file of scan.files) {
      const read = await readScannedFile(root, file);
      if (read.text === undefined) continue;
      let chunks: Chunk[];
      try {
        chunks = await chunker.chunk(file.path, read.text);
      } catch {
        continue;
      }
      out.push({ path: file.path, language: languageForPath(file.path), text: read.text, chunks });
    }
  } finally {
    chunker.dispose();
  }
  return out;
}
