import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { CancellationTokenSource } from '../../../../src/common/cancellation.ts';
import { indexRepository, type IndexOptions } from '../../../../src/node/indexer/repositoryIndexer.ts';
import { openSearchIndex, searchRepository, IndexMissingError } from '../../../../src/node/indexer/searchIndex.ts';
import type { FileChunker } from '../../../../src/node/indexer/fileChunks.ts';
import { DEFAULT_CHUNK_TOKENS, builtInEncoder, expectationFor, storeDirFor } from '../../../../src/node/indexer/indexSettings.ts';
import { IndexStore } from '../../../../src/node/store/indexStore.ts';
import { tempDirMaker } from '../../reliability/tempDirs.ts';

const mkTemp = tempDirMaker();

/** One chunk per 4 lines; records which paths it was asked to chunk. */
class FakeChunker implements FileChunker {
  readonly calls: string[] = [];
  onChunk: ((path: string) => void) | undefined;
  async chunk(p: string, text: string): Promise<Chunk[]> {
    this.calls.push(p);
    this.onChunk?.(p);
    const lines = text.split('\n');
    const chunks: Chunk[] = [];
    let offset = 0;
    for (let i = 0; i < lines.length; i += 4) {
      const piece = lines.slice(i, i + 4).join('\n') + (i + 4 < lines.length ? '\n' : '');
      chunks.push({ path: p, language: 'plaintext', span: { start: offset, end: offset + piece.length }, startLine: i + 1,
        endLine: Math.min(lines.length, i + 4), symbolPath: [], text: piece, definitions: [], parser: 'lines' });
      offset += piece.length;
    }
    return chunks;
  }
}

const FILES: Record<string, string> = {
  'src/cart.ts': 'export function addBookToCart(cart: Cart, book: Book) {\n  cart.books.push(book);\n  cart.total += book.price;\n}\n',
  'src/inventory.py': 'def reserve_stock(inventory, book_id, quantity):\n    inventory[book_id] -= quantity\n    return inventory[book_id]\n',
  'src/payments.go': 'package payments\n\nfunc ChargeCard(card Card, amount int) error {\n\treturn gateway.Charge(card, amount)\n}\n',
  'docs/notes.md': '# Notes\n\nShipping rates are computed per parcel weight.\n',
};

function makeRepo(files: Record<string, string> = FILES): string {
  const root = mkTemp('squeeze-indexer-');
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), text);
  }
  return root;
}

function setup(files?: Record<string, string>) {
  const root = makeRepo(files);
  const chunker = new FakeChunker();
  const opts: IndexOptions = { chunker, indexDir: path.join(root, '.squeeze') };
  const database = path.join(root, '.squeeze/index-v2/index.sqlite');
  return { root, chunker, opts, database };
}

/** The stored header and files, read as a reader would. */
async function storedManifest(root: string) {
  const store = await IndexStore.open(storeDirFor(root, path.join(root, '.squeeze')), expectationFor(builtInEncoder(), DEFAULT_CHUNK_TOKENS));
  try {
    return store.manifest!;
  } finally {
    store.close();
  }
}

test('first run indexes every file; an unchanged re-run reads nothing and writes nothing', async () => {
  const { root, chunker, opts, database } = setup();
  const first = await indexRepository(root, opts);
  assert.equal(first.files, 4);
  assert.equal(first.rechunked, 4);
  assert.equal(first.reused, 0);
  assert.equal(first.chunks, 6);
  assert.equal(first.committed, true);
  const before = fs.statSync(database).mtimeMs;
  chunker.calls.length = 0;
  const again = await indexRepository(root, opts);
  assert.deepEqual({ rechunked: again.rechunked, reused: again.reused, committed: again.committed, chunks: again.chunks }, { rechunked: 0, reused: 4, committed: false, chunks: 6 });
  assert.deepEqual(chunker.calls, []);
  assert.equal(fs.statSync(database).mtimeMs, before);
});

test('modifying one file re-chunks only it; touching one keeps its chunks; deleting one removes it', async () => {
  const { root, chunker, opts } = setup();
  await indexRepository(root, opts);
  chunker.calls.length = 0;
  fs.appendFileSync(path.join(root, 'src/cart.ts'), 'export const EMPTY_CART = { books: [], total: 0 };\n');
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(path.join(root, 'src/payments.go'), later, later);
  const s = await indexRepository(root, opts);
  assert.deepEqual(chunker.calls, ['src/cart.ts']);
  assert.deepEqual({ rechunked: s.rechunked, reused: s.reused, removed: s.removed, chunks: s.chunks }, { rechunked: 1, reused: 3, removed: 0, chunks: 6 });
  chunker.calls.length = 0;
  assert.equal((await indexRepository(root, opts)).committed, false, 'the touched file was recorded with its new mtime');
  fs.rmSync(path.join(root, 'src/inventory.py'));
  const d = await indexRepository(root, opts);
  assert.deepEqual({ removed: d.removed, files: d.files, rechunked: d.rechunked }, { removed: 1, files: 3, rechunked: 0 });
  assert.deepEqual(chunker.calls, []);
  const index = await openSearchIndex(root, { indexDir: opts.indexDir });
  assert.ok(!index.chunks.some((c) => c.path === 'src/inventory.py'));
});

test('IDF stays exact across incremental updates (same vectors as a fresh build)', async () => {
  const { root, opts } = setup();
  await indexRepository(root, opts);
  fs.writeFileSync(path.join(root, 'src/cart.ts'), 'export function removeBook(cart: Cart, id: string) {\n  cart.books = cart.books.filter((b) => b.id !== id);\n}\n');
  fs.rmSync(path.join(root, 'docs/notes.md'));
  await indexRepository(root, opts);
  const incremental = await openSearchIndex(root, { indexDir: opts.indexDir });
  const freshDir = path.join(root, '.fresh');
  await indexRepository(root, { ...opts, indexDir: freshDir });
  const fresh = await openSearchIndex(root, { indexDir: freshDir });
  assert.deepEqual(incremental.hashed?.idf, fresh.hashed?.idf);
  assert.ok(fresh.hashed?.idf);
  assert.deepEqual(incremental.chunks, fresh.chunks);
  incremental.vectors.forEach((v, i) => assert.ok(Math.abs(v - fresh.vectors[i]!) < 1e-6));
});

test('search ranks the chunk the query describes first, and reports a missing index', async () => {
  const { root, opts } = setup();
  await assert.rejects(searchRepository(root, 'cart', { indexDir: opts.indexDir }), IndexMissingError);
  await indexRepository(root, opts);
  const hits = await searchRepository(root, 'reserve stock in inventory', { indexDir: opts.indexDir, k: 3 });
  assert.equal(hits[0]?.chunk.path, 'src/inventory.py');
  assert.ok(hits[0]!.score > 0 && hits[0]!.score <= 1);
  assert.deepEqual(await searchRepository(root, 'the of', { indexDir: opts.indexDir }), []);
});

test('a cancelled run commits what it chunked; the next run continues from there', async () => {
  const files = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}.ts`, `export const value${i} = ${i};\n`]));
  const { root, chunker, opts } = setup(files);
  const cts = new CancellationTokenSource();
  chunker.onChunk = () => chunker.calls.length === 5 && cts.cancel();
  await assert.rejects(indexRepository(root, { ...opts, token: cts.token, checkpointFiles: 2 }), { name: 'CancellationError' });
  const partial = await storedManifest(root);
  assert.equal(partial.complete, false);
  assert.equal(partial.files.length, 5);
  chunker.onChunk = undefined;
  chunker.calls.length = 0;
  const resumed = await indexRepository(root, opts);
  assert.deepEqual(chunker.calls, ['f5.ts', 'f6.ts', 'f7.ts', 'f8.ts']);
  assert.deepEqual({ files: resumed.files, reused: resumed.reused }, { files: 9, reused: 5 });
  assert.equal((await storedManifest(root)).complete, true);
});

test('damaged data is rebuilt with a reason; a chunker failure skips the file with its reason', async () => {
  const { root, chunker, opts, database } = setup();
  await indexRepository(root, opts);
  // a flipped byte inside a stored chunk (in every copy of its text: SQLite may leave stale ones in free
  // space): SQLite's pages stay valid, the chunk's checksum does not
  const bytes = fs.readFileSync(database);
  let flipped = 0;
  for (let at = bytes.indexOf('addBookToCart'); at >= 0; at = bytes.indexOf('addBookToCart', at + 1), flipped++) bytes[at] = bytes[at]! ^ 0x01;
  assert.ok(flipped > 0);
  fs.writeFileSync(database, bytes);
  await assert.rejects(searchRepository(root, 'cart', opts), /stored data is damaged/);
  chunker.calls.length = 0;
  chunker.chunk = async (p: string) => {
    if (p.endsWith('.md')) throw new Error('boom');
    return FakeChunker.prototype.chunk.call(chunker, p, 'x');
  };
  const s = await indexRepository(root, opts);
  assert.match(s.rebuildReason ?? '', /a chunk of src\/cart\.ts does not match its checksum/);
  assert.equal(s.rechunked, 4);
  assert.equal(s.skipped.UNREADABLE, 1);
  assert.equal(s.files, 3);
});
