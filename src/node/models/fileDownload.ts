import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CancellationToken } from '../../common/cancellation.ts';
import { CancellationError } from '../../common/cancellation.ts';
import type { Verification } from '../../common/models/modelManifest.ts';
import { MIRROR_HINT, ModelDownloadError, RESUME_HINT } from '../../common/models/modelErrors.ts';
import { fetchRanged } from './rangedFetch.ts';
import type { RangedResponse } from './rangedFetch.ts';

/**
 * Downloads one file into `<final>.part`, resuming from what a previous run left there, hashing as
 * it goes; on success verifies size and sha256 and renames the part to its final name. On a checksum
 * or size mismatch the part is deleted. On cancellation or a network failure it is kept for resume.
 */
export interface FileDownloadRequest {
  readonly url: string;
  /** Shown in messages: the path inside the model folder. */
  readonly label: string;
  readonly finalPath: string;
  readonly expectedSha256?: string;
  readonly expectedSize?: number;
  readonly optional?: boolean;
  readonly token?: CancellationToken;
  readonly idleTimeoutMs: number;
  /** Called after each chunk with the new bytes and the file's progress. */
  readonly onBytes?: (delta: number, received: number, total: number | undefined) => void;
}

export type FileDownloadResult =
  | { readonly status: 'done'; readonly size: number; readonly sha256: string; readonly verifiedBy: Verification }
  | { readonly status: 'missing' };

export async function downloadFile(req: FileDownloadRequest): Promise<FileDownloadResult> {
  const part = `${req.finalPath}.part`;
  await fs.mkdir(path.dirname(part), { recursive: true });
  const abort = new TransferAbort(req.token, req.idleTimeoutMs);
  try {
    let have = await sizeOf(part);
    let res = await abort.wrap(() => fetchRanged(req.url, have, abort.signal), req, have);
    const wrongRange = res.response.status === 206 && res.bodyStart !== have;
    if ((res.response.status === 416 || wrongRange) && have > 0) {
      await res.response.body?.cancel();
      await fs.rm(part, { force: true });
      have = 0;
      res = await abort.wrap(() => fetchRanged(req.url, 0, abort.signal), req, 0);
    }
    if (res.response.status === 404 && req.optional) return { status: 'missing' };
    if (!res.response.ok) throw httpError(req, res);
    if (res.bodyStart !== have) have = 0; // the server ignored the range (or answered another one): start over
    const hash = createHash('sha256');
    if (have > 0) await hashFile(part, hash);
    const received = await abort.wrap(() => writeBody(res, { part, have, hash, abort, req }), req, have);
    return await verify(req, part, { received, sha256: hash.digest('hex'), stated: res.statedSha256, total: res.totalSize });
  } finally {
    abort.dispose();
  }
}

interface WriteState {
  readonly part: string;
  readonly have: number;
  readonly hash: Hash;
  readonly abort: TransferAbort;
  readonly req: FileDownloadRequest;
}

async function writeBody(res: RangedResponse, s: WriteState): Promise<number> {
  const file = await fs.open(s.part, s.have > 0 ? 'a' : 'w');
  let received = s.have;
  try {
    const body = res.response.body;
    if (!body) return received;
    const reader = body.getReader();
    for (;;) {
      s.abort.armIdle();
      const r = await reader.read();
      if (r.done) break;
      await file.write(r.value);
      s.hash.update(r.value);
      received += r.value.byteLength;
      s.req.onBytes?.(r.value.byteLength, received, res.totalSize);
    }
    return received;
  } finally {
    s.abort.disarm();
    await file.close();
  }
}

interface Outcome {
  readonly received: number;
  readonly sha256: string;
  readonly stated: string | undefined;
  readonly total: number | undefined;
}

async function verify(req: FileDownloadRequest, part: string, o: Outcome): Promise<FileDownloadResult> {
  const size = req.expectedSize ?? o.total;
  if (size !== undefined && o.received !== size) {
    if (o.received > size) await fs.rm(part, { force: true });
    throw new ModelDownloadError('SIZE_MISMATCH', `${req.label}: got ${o.received} bytes, expected ${size}. ${RESUME_HINT}`, { file: req.label });
  }
  const expected = req.expectedSha256?.toLowerCase() ?? o.stated;
  if (expected !== undefined && expected !== o.sha256) {
    await fs.rm(part, { force: true });
    const source = req.expectedSha256 ? 'the catalog' : 'the server';
    const msg = `Checksum mismatch for ${req.label}: sha256 ${o.sha256}, but ${source} says ${expected}. The partial file was removed; run the command again.`;
    throw new ModelDownloadError('CHECKSUM_MISMATCH', msg, { file: req.label });
  }
  await fs.rename(part, req.finalPath);
  const verifiedBy: Verification = req.expectedSha256 ? 'catalog' : o.stated ? 'server' : 'none';
  return { status: 'done', size: o.received, sha256: o.sha256, verifiedBy };
}

function httpError(req: FileDownloadRequest, res: RangedResponse): ModelDownloadError {
  void res.response.body?.cancel().catch(() => undefined);
  const status = res.response.status;
  const why = status === 401 || status === 403 ? ' (the repository may be gated or private)' : status === 404 ? ' (not found)' : '';
  return new ModelDownloadError('HTTP_ERROR', `Downloading ${req.label} failed: HTTP ${status}${why} from ${res.url}. ${MIRROR_HINT}`, { file: req.label });
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0;
  }
}

async function hashFile(file: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/** Cancellation and the idle timeout, folded into one AbortController; maps what fetch throws. */
class TransferAbort {
  private readonly controller = new AbortController();
  private readonly sub: { dispose(): void } | undefined;
  private readonly idleMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reason: 'cancel' | 'idle' | undefined;

  constructor(token: CancellationToken | undefined, idleMs: number) {
    this.idleMs = idleMs;
    if (token?.isCancellationRequested) this.stop('cancel');
    this.sub = token?.onCancellationRequested(() => this.stop('cancel'));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  armIdle(): void {
    this.disarm();
    this.timer = setTimeout(() => this.stop('idle'), this.idleMs);
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disarm();
    this.sub?.dispose();
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  /** Runs `fn` with the idle timer armed, turning aborts and socket errors into our errors. */
  async wrap<T>(fn: () => Promise<T>, req: FileDownloadRequest, have: number): Promise<T> {
    this.armIdle();
    try {
      return await fn();
    } catch (e) {
      throw this.translate(e, req, have);
    } finally {
      this.disarm();
    }
  }

  private translate(e: unknown, req: FileDownloadRequest, have: number): Error {
    if (this.reason === 'cancel') return new CancellationError();
    if (e instanceof ModelDownloadError) return e;
    if (this.reason === 'idle') {
      return new ModelDownloadError('TIMEOUT', `No data for ${req.label} for ${this.idleMs / 1000}s. ${RESUME_HINT}`, { file: req.label, cause: e });
    }
    const detail = e instanceof Error ? `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}` : String(e);
    const code = have > 0 || (e instanceof TypeError && e.message === 'terminated') ? 'INTERRUPTED' : 'NETWORK_ERROR';
    const hint = code === 'INTERRUPTED' ? RESUME_HINT : MIRROR_HINT;
    return new ModelDownloadError(code, `Downloading ${req.label} from ${req.url} failed (${detail}). ${hint}`, { file: req.label, cause: e });
  }

  private stop(reason: 'cancel' | 'idle'): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller.abort();
  }
}
