/**
 * GET with an optional `Range: bytes=<start>-`, following redirects by hand so that the headers of
 * every hop can be read: Hugging Face states an LFS file's sha256 and size on the first (302) answer
 * as `X-Linked-Etag` / `X-Linked-Size`, not on the CDN's final answer.
 */
export interface RangedResponse {
  readonly response: Response;
  /** Final URL after redirects. */
  readonly url: string;
  /** The sha256 the server states for the whole file (from `x-linked-etag` or `etag`), if any. */
  readonly statedSha256: string | undefined;
  /** The whole file's size, from `x-linked-size`, `content-range` or `content-length`. */
  readonly totalSize: number | undefined;
  /** The byte offset the body starts at (0 unless the server honoured the range). */
  readonly bodyStart: number;
}

const MAX_REDIRECTS = 8;

export async function fetchRanged(url: string, start: number, signal: AbortSignal): Promise<RangedResponse> {
  let current = url;
  let statedSha256: string | undefined;
  let linkedSize: number | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (start > 0) headers.range = `bytes=${start}-`;
    const response = await fetch(current, { headers, redirect: 'manual', signal });
    statedSha256 ??= sha256FromHeaders(response.headers);
    linkedSize ??= intHeader(response.headers, 'x-linked-size');
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).toString();
      continue;
    }
    const bodyStart = response.status === 206 ? rangeStart(response.headers) ?? -1 : 0;
    const totalSize = linkedSize ?? rangeTotal(response.headers) ?? lengthTotal(response, bodyStart);
    return { response, url: current, statedSha256, totalSize, bodyStart };
  }
  throw new Error(`too many redirects from ${url}`);
}

/** A 64-hex-digit ETag is a sha256 (LFS files); a git blob id (40 digits) or anything else is not. */
export function sha256FromHeaders(h: Headers): string | undefined {
  for (const name of ['x-linked-etag', 'etag']) {
    const v = h.get(name)?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
    if (v && /^[0-9a-f]{64}$/.test(v)) return v;
  }
  return undefined;
}

function intHeader(h: Headers, name: string): number | undefined {
  const v = h.get(name);
  return v !== null && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

function rangeStart(h: Headers): number | undefined {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(h.get('content-range')?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}

function rangeTotal(h: Headers): number | undefined {
  const m = /^bytes [\d*-]+\/(\d+)$/.exec(h.get('content-range')?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}

function lengthTotal(res: Response, bodyStart: number): number | undefined {
  const n = intHeader(res.headers, 'content-length');
  if (n === undefined || res.status < 200 || res.status >= 300) return undefined;
  return res.status === 206 ? bodyStart + n : n;
}
