/**
 * Child process of indexCrash.test.ts: indexes a repository with a line chunker that tiles the text, so
 * the parent can SIGKILL it at any moment. Protocol on stdout (a pipe, written synchronously on Linux):
 * `ready` just before indexing starts, `chunk <path>` each time a file is chunked, `summary <json>` at the end.
 */
import { indexRepository } from '../../../src/node/indexer/repositoryIndexer.ts';
import { TilingChunker } from './tilingChunker.ts';

const [root, indexDir, checkpoint] = process.argv.slice(2);
if (!root || !indexDir) throw new Error('usage: indexChild <root> <indexDir> [checkpointFiles]');

const write = (line: string) => process.stdout.write(line + '\n');
write('ready');
const summary = await indexRepository(root, {
  indexDir,
  chunker: new TilingChunker((p) => write(`chunk ${p}`)),
  checkpointFiles: Number(checkpoint ?? 8),
});
write(`summary ${JSON.stringify(summary)}`);
