// Real chunk vectors and queries for bench:index-search --real. Base: the IDF-weighted hashed vectors of a
// corpus indexed by the project's indexer (realCorpus.ts), loaded exactly as search loads them. Queries:
// made from held-out files (never indexed), chunked by the same AstChunker and encoded with the index's
// encoder and IDF: `code` = a whole held-out chunk (cursor-context retrieval), `ident` = four identifiers
// of one (a short identifier query). Even held-out files feed the test queries, odd ones calibration.
import fs from 'node:fs';
import path from 'node:path';
import { chunkEncodingText } from '../../../src/common/encode/chunkEncodingText.ts';
import { calibrationQueries, type CalibrationSet } from '../../../src/common/search/calibrationQueries.ts';
import { DEFAULT_CENTROID_SETTINGS } from '../../../src/common/search/clusteredSearch.ts';
import { Prng } from '../../../src/common/index/prng.ts';
import { AstChunker } from '../../../src/node/chunk/astChunker.ts';
import { openSearchIndex } from '../../../src/node/indexer/searchIndex.ts';
import type { RealCorpus } from './realCorpus.ts';

export type QueryKind = 'code' | 'ident' | 'mix';

export interface RealVectors {
  readonly base: Float32Array;
  readonly dim: number;
  /** Non-zero base rows (zero rows never match any query and are left out). */
  readonly n: number;
  /** Chunks in the index, zero rows included. */
  readonly chunks: number;
  readonly queries: Float32Array;
  readonly calib: Float32Array;
  readonly queryTexts: readonly string[];
  /** What search calibrates with (pseudo-queries from base chunks; sources are base rows). */
  readonly pseudo: CalibrationSet;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]{3,}/g;

function identQuery(text: string, rng: Prng): string | undefined {
  const words = [...new Set(text.match(IDENT) ?? [])];
  if (words.length < 4) return undefined;
  const pick = rng.sample(words.length, 4);
  return Array.from(pick, (i) => words[i]!).join(' ');
}

/** Query texts from the chunks of `files`: `count` of them, drawn with `seed`. */
async function queryTexts(files: readonly string[], o: { count: number; kind: QueryKind; seed: number }): Promise<string[]> {
  const chunker = new AstChunker();
  const texts: string[] = [];
  const rng = new Prng(o.seed);
  const pool: string[] = [];
  for (const [j, abs] of files.entries()) {
    const rel = `heldout/${j}_${path.basename(abs)}`;
    for (const c of await chunker.chunk(rel, fs.readFileSync(abs, 'utf8'))) if (c.text.trim().length >= 40) pool.push(chunkEncodingText(c));
  }
  chunker.dispose();
  for (const i of rng.sample(pool.length, Math.min(pool.length, 3 * o.count))) {
    const kind = o.kind === 'mix' ? (texts.length % 2 === 0 ? 'code' : 'ident') : o.kind;
    const t = kind === 'code' ? pool[i]! : identQuery(pool[i]!, rng);
    if (t !== undefined) texts.push(t);
    if (texts.length >= o.count) break;
  }
  return texts;
}

/** Packs the non-zero rows of `m`; `packed[r]` is the packed row of row r (−1: dropped). */
function nonZero(m: Float32Array, dim: number): { data: Float32Array; n: number; packed: Int32Array } {
  const keep: number[] = [];
  for (let r = 0; r < m.length / dim; r++) if (m.subarray(r * dim, (r + 1) * dim).some((v) => v !== 0)) keep.push(r);
  const data = new Float32Array(keep.length * dim);
  const packed = new Int32Array(m.length / dim).fill(-1);
  keep.forEach((r, j) => {
    data.set(m.subarray(r * dim, (r + 1) * dim), j * dim);
    packed[r] = j;
  });
  return { data, n: keep.length, packed };
}

const CACHE_VERSION = 1;

/** The cache file's key: the options and the index files' sizes and times (a reindex changes them). */
function cacheKey(c: RealCorpus, o: object): string {
  const files = fs.readdirSync(c.indexDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const stamp = files.map((e) => {
    const st = fs.statSync(path.join(e.parentPath, e.name));
    return `${e.name}:${st.size}:${st.mtimeMs}`;
  });
  return JSON.stringify({ v: CACHE_VERSION, o, stamp: stamp.sort() });
}

type Arrays = Pick<RealVectors, 'base' | 'queries' | 'calib'> & { pseudoQueries: Float32Array; pseudoSources: Uint32Array };
const ARRAY_NAMES = ['base', 'queries', 'calib', 'pseudoQueries', 'pseudoSources'] as const;

/** Reads `vectors-cache.json` + `.bin` of the work folder when the key matches. */
function readCache(dir: string, key: string): RealVectors | undefined {
  const meta = path.join(dir, 'vectors-cache.json');
  if (!fs.existsSync(meta)) return undefined;
  const { key: stored, lengths, ...m } = JSON.parse(fs.readFileSync(meta, 'utf8')) as Omit<RealVectors, keyof Arrays | 'pseudo'> & { key: string; lengths: number[] };
  if (stored !== key) return undefined;
  const buf = fs.readFileSync(path.join(dir, 'vectors-cache.bin'));
  let at = 0;
  const arrays = lengths.map((len, i) => {
    const bytes = buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + len * 4);
    at += len * 4;
    return ARRAY_NAMES[i] === 'pseudoSources' ? new Uint32Array(bytes) : new Float32Array(bytes);
  });
  const [base, queries, calib, pseudoQueries, pseudoSources] = arrays as [Float32Array, Float32Array, Float32Array, Float32Array, Uint32Array];
  return { ...m, base, queries, calib, pseudo: { queries: pseudoQueries, sources: pseudoSources } };
}

function writeCache(dir: string, key: string, v: RealVectors): void {
  const arrays = [v.base, v.queries, v.calib, v.pseudo.queries, v.pseudo.sources];
  fs.writeFileSync(path.join(dir, 'vectors-cache.bin'), Buffer.concat(arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
  const meta = { key, lengths: arrays.map((a) => a.length), dim: v.dim, n: v.n, chunks: v.chunks, queryTexts: v.queryTexts };
  fs.writeFileSync(path.join(dir, 'vectors-cache.json'), JSON.stringify(meta));
}

/** loadRealVectors through a cache file in the corpus work folder (the vectors take minutes to load and encode). */
export async function cachedRealVectors(c: RealCorpus, o: { queries: number; calibration: number; kind: QueryKind }): Promise<RealVectors> {
  const dir = path.dirname(c.indexDir);
  // The pseudo-queries follow search's settings: a change there must not reuse stale ones.
  const s = DEFAULT_CENTROID_SETTINGS;
  const key = cacheKey(c, { ...o, pseudo: { count: s.calibrationQueries, seed: s.seed } });
  const hit = readCache(dir, key);
  if (hit) return hit;
  const v = await loadRealVectors(c, o);
  writeCache(dir, key, v);
  return v;
}

export async function loadRealVectors(c: RealCorpus, o: { queries: number; calibration: number; kind: QueryKind }): Promise<RealVectors> {
  const index = await openSearchIndex(c.corpusDir, { indexDir: c.indexDir, centroids: { minChunks: Number.POSITIVE_INFINITY } });
  const encoder = index.hashed;
  if (!encoder) throw new Error('the real-vector benchmark needs a hashed-encoder index');
  const dim = encoder.dim;
  const base = nonZero(index.vectors, dim);
  const test = c.heldOut.filter((_, i) => i % 2 === 0);
  const cal = c.heldOut.filter((_, i) => i % 2 === 1);
  const testTexts = await queryTexts(test, { count: o.queries, kind: o.kind, seed: 11 });
  const calTexts = await queryTexts(cal, { count: o.calibration, kind: o.kind, seed: 12 });
  const queries = nonZero(encoder.encodeMatrix(testTexts), dim).data;
  const calib = nonZero(encoder.encodeMatrix(calTexts), dim).data;
  const s = DEFAULT_CENTROID_SETTINGS;
  const made = calibrationQueries(index.chunks.map((ch) => ch.text), encoder, { count: s.calibrationQueries, seed: s.seed });
  const pseudo = { queries: made.queries, sources: Uint32Array.from(made.sources, (r) => base.packed[r]!) };
  return { base: base.data, dim, n: base.n, chunks: index.chunks.length, queries, calib, queryTexts: testTexts, pseudo };
}
