import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CatalogEntry } from '../../../../src/common/models/modelCatalog.ts';

/**
 * A local stand-in for the Hugging Face hub: `/<repo>/resolve/<rev>/<path>` answers small files
 * directly (with a git-style 40-digit ETag, which is not a sha256) and "LFS" files with a 302 to
 * `/cdn/<path>` carrying `X-Linked-Etag` (sha256) and `X-Linked-Size`, as the hub does. The CDN
 * honours `Range`. Switches make it misbehave.
 */
export interface HubFile {
  readonly bytes: Buffer;
  readonly lfs: boolean;
}

export interface HubRequest {
  readonly path: string;
  readonly range: string | undefined;
}

export class FakeModelHub {
  readonly files = new Map<string, HubFile>();
  readonly requests: HubRequest[] = [];
  /** Destroy the socket after this many body bytes, once per file. */
  readonly cutAfter = new Map<string, number>();
  /** Serve these bytes instead of the real ones (the stated sha256 stays the real one). */
  readonly corrupt = new Map<string, Buffer>();
  /** Answer 200 with the whole file even when a Range is asked for. */
  ignoreRange = false;
  /** Stop sending (but keep the socket open) after this many bytes of these files. */
  readonly stallAfter = new Map<string, number>();
  private readonly server = http.createServer((req, res) => this.serve(req, res));

  static async start(): Promise<FakeModelHub> {
    const hub = new FakeModelHub();
    await new Promise<void>((resolve) => hub.server.listen(0, '127.0.0.1', resolve));
    return hub;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  add(path: string, bytes: Buffer, lfs = false): void {
    this.files.set(path, { bytes, lfs });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ path: url.pathname, range: req.headers.range });
    const cdn = /^\/cdn\/(.+)$/.exec(url.pathname);
    const resolve = /^\/[^/]+\/[^/]+\/resolve\/[^/]+\/(.+)$/.exec(url.pathname);
    const name = decodeURIComponent((cdn ?? resolve)?.[1] ?? '');
    const file = this.files.get(name);
    if (!file) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Entry not found"}');
      return;
    }
    if (resolve && file.lfs) {
      const sha = createHash('sha256').update(file.bytes).digest('hex');
      res.writeHead(302, { location: `/cdn/${encodeURIComponent(name)}`, 'x-linked-etag': `"${sha}"`, 'x-linked-size': String(file.bytes.length), etag: '"0123456789abcdef0123456789abcdef01234567"' });
      res.end();
      return;
    }
    this.sendBody(name, file, req, res);
  }

  private sendBody(name: string, file: HubFile, req: http.IncomingMessage, res: http.ServerResponse): void {
    const bytes = this.corrupt.get(name) ?? file.bytes;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m && !this.ignoreRange ? Number(m[1]) : 0;
    if (start > bytes.length) {
      res.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
      return;
    }
    const headers: Record<string, string> = { 'content-length': String(bytes.length - start), etag: file.lfs ? '"cdn-etag"' : '"aa11bb22cc33dd44ee55ff6677889900aabbccdd"' };
    if (start > 0) headers['content-range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
    res.writeHead(start > 0 ? 206 : 200, headers);
    const body = bytes.subarray(start);
    const cut = this.cutAfter.get(name);
    const stall = this.stallAfter.get(name);
    if (cut !== undefined && cut < body.length) {
      this.cutAfter.delete(name);
      res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
    } else if (stall !== undefined && stall < body.length) {
      res.write(body.subarray(0, stall));
    } else {
      res.end(body);
    }
  }
}

/** Deterministic pseudo-random bytes. */
export function fakeBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export const TEST_ENTRY: CatalogEntry = {
  name: 'tiny-test',
  title: 'Tiny test model',
  role: 'decoder',
  repo: 'test-org/tiny-model',
  revision: 'main',
  files: [
    { path: 'config.json' },
    { path: 'tokenizer.json' },
    { path: 'tokenizer_config.json' },
    { path: 'generation_config.json', optional: true },
    { path: 'onnx/model_quantized.onnx' },
  ],
  approxBytes: 300_000,
  notes: 'test',
};

/** Serves TEST_ENTRY's files (generation_config.json is absent) and returns their bytes. */
export function addTestModel(hub: FakeModelHub): Map<string, Buffer> {
  const contents = new Map<string, Buffer>([
    ['config.json', Buffer.from('{"model_type":"qwen2","num_hidden_layers":2}\n')],
    ['tokenizer.json', Buffer.from(JSON.stringify({ model: { vocab: { a: 0, 'é': 1 } } }))],
    ['tokenizer_config.json', Buffer.from('{"eos_token":"<|endoftext|>"}')],
    ['onnx/model_quantized.onnx', fakeBytes(300_000, 42)],
  ]);
  for (const [p, b] of contents) hub.add(p, b, p.endsWith('.onnx'));
  return contents;
}
