import { scopedLogger, type Logger } from '../common/log.ts';
import { denseIndexEncoder, type IndexEncoder } from '../node/indexer/indexEncoder.ts';
import { indexRepository, type IndexOptions, type IndexSummary } from '../node/indexer/repositoryIndexer.ts';
import type { CliIo } from './cliCommand.ts';
import { ProgressReporter } from './progressReporter.ts';
import { stderrLogger } from './stderrLogger.ts';

export interface CliIndexOptions {
  readonly indexDir?: string;
  readonly maxFileBytes?: number;
  readonly verbose: boolean;
  /** Hash every stored file before trusting the index. */
  readonly verify?: boolean;
  /** The encoder opened for `--encoder` (withIndexEncoder); default: the built-in hashed encoder. */
  readonly encoder?: IndexEncoder;
}

/**
 * Runs `use` with the index encoder of `--encoder <dir>` (an ONNX encoder in its worker, disposed after),
 * or with undefined (the built-in hashed encoder) when no folder is given.
 */
export async function withIndexEncoder<T>(dir: string | undefined, logger: Logger, use: (e: IndexEncoder | undefined) => Promise<T>): Promise<T> {
  if (!dir) return use(undefined);
  const { openOnnxEncoder } = await import('../node/encode/onnxEncoder.ts');
  const encoder = await openOnnxEncoder(dir, { logger: scopedLogger(logger, 'encode') });
  try {
    return await use(denseIndexEncoder(encoder));
  } finally {
    await encoder.dispose();
  }
}

/** A logger for a command: stderr, warnings by default, everything with --verbose. */
export function cliLogger(io: CliIo, verbose: boolean, beforeWrite?: () => void): Logger {
  return stderrLogger(io.stderr, { verbose, ...(beforeWrite ? { beforeWrite } : {}) });
}

/** indexRepository with a progress bar (or plain lines) on stderr and log lines that do not tear it. */
export async function indexWithProgress(root: string, io: CliIo, options: CliIndexOptions): Promise<IndexSummary> {
  const progress = new ProgressReporter(io.stderr);
  const logger = cliLogger(io, options.verbose, () => progress.clear());
  const indexOptions: IndexOptions = {
    logger,
    ...(options.indexDir ? { indexDir: options.indexDir } : {}),
    ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
    ...(io.token ? { token: io.token } : {}),
    verifyChecksums: options.verify === true,
    onProgress: (p) => progress.update(p),
  };
  try {
    return await indexRepository(root, { ...indexOptions, ...(options.encoder ? { encoder: options.encoder } : {}) });
  } finally {
    progress.clear();
  }
}
