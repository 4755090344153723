/** The flat text of a structured FIM prefix: what HTTP servers get, and what the local decoder checks against. Pure. */
import type { FimContext } from './backendTypes.ts';

export function fimContextPrefix(c: FimContext): string {
  return c.lead + c.pieces.map((p) => p.text).join('') + c.local;
}
