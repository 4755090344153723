/**
 * Turns file bytes into text: UTF-8 (BOM stripped) by default, UTF-16 LE/BE when a BOM says so.
 * Bytes that are not valid in their encoding raise NotTextError, which the scanner reports as NOT_TEXT.
 */
import { NODE_SCAN_FS, type ScanFileSystem } from './scanFileSystem.ts';

export class NotTextError extends Error {
  constructor(encoding: string, options?: { cause?: unknown }) {
    super(`not valid ${encoding} text`, options);
    this.name = 'NotTextError';
  }
}

const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF16LE_DECODER = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function decodeWith(decoder: TextDecoder, bytes: Uint8Array, encoding: string): string {
  try {
    return decoder.decode(bytes);
  } catch (e) {
    throw new NotTextError(encoding, { cause: e });
  }
}

/** Swaps each byte pair, turning UTF-16 BE into LE (an odd trailing byte is kept and then rejected). */
function swapBytePairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1] ?? 0;
    out[i + 1] = bytes[i] ?? 0;
  }
  if (bytes.length % 2 === 1) out[bytes.length - 1] = bytes[bytes.length - 1] ?? 0;
  return out;
}

/** Decodes file bytes to text without the byte order mark; throws NotTextError on invalid bytes. */
export function decodeText(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return decodeWith(UTF8_DECODER, bytes.subarray(3), 'UTF-8');
  if (startsWith(bytes, [0xff, 0xfe])) return decodeWith(UTF16LE_DECODER, bytes.subarray(2), 'UTF-16LE');
  if (startsWith(bytes, [0xfe, 0xff])) return decodeWith(UTF16LE_DECODER, swapBytePairs(bytes.subarray(2)), 'UTF-16BE');
  return decodeWith(UTF8_DECODER, bytes, 'UTF-8');
}

/** Reads a file and decodes it with decodeText. File system errors pass through unchanged. */
export async function readTextFile(path: string, fs: ScanFileSystem = NODE_SCAN_FS): Promise<string> {
  return decodeText(await fs.readFile(path));
}
