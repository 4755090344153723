/** The stored index is damaged: SQLite reports corruption, or a stored value fails its checksum or shape. */
export class IndexCorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexCorruptError';
  }
}
