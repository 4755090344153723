/** Errors of `squeeze models pull`, each with a message that says what to do next. */
export const MODEL_ERROR_CODES = [
  'UNKNOWN_MODEL',
  'DESTINATION_NOT_OURS',
  'LOCKED',
  'HTTP_ERROR',
  'NETWORK_ERROR',
  'TIMEOUT',
  'INTERRUPTED',
  'SIZE_MISMATCH',
  'CHECKSUM_MISMATCH',
] as const;

export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

export class ModelDownloadError extends Error {
  readonly code: ModelErrorCode;
  /** The file (path inside the model folder) the error is about, if any. */
  readonly file: string | undefined;

  constructor(code: ModelErrorCode, message: string, options?: { file?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModelDownloadError';
    this.code = code;
    this.file = options?.file;
  }
}

export function isModelDownloadError(e: unknown, code?: ModelErrorCode): e is ModelDownloadError {
  return e instanceof ModelDownloadError && (code === undefined || e.code === code);
}

/** The hint appended to network failures. */
export const RESUME_HINT = 'Run the same command again to resume; finished files and the partial one are kept.';
export const MIRROR_HINT = 'Check the network, or point SQUEEZE_MODEL_MIRROR at a reachable mirror with the same /<repo>/resolve/<revision>/<file> layout.';
