// A real, offline code corpus for bench:index-search --real: source files of the given roots (default this
// project's node_modules and the system's Python library), deduplicated by content, in a deterministic order.
// Every `holdEvery`-th file is held out (query material, never indexed); the rest are copied into a fixed
// work folder with flat names (so the scanner's built-in excludes do not hide them) and indexed by the
// project's own indexer: scanner, AstChunker, hashed encoder, IDF. A second run with the same arguments
// reuses the copy and the index (the indexer sees no change).
import { walkSources } from './benchCorpus.ts';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { indexRepository } from '../../../src/node/indexer/repositoryIndexer.ts';

export const DEFAULT_REAL_ROOTS = ['node_modules', '/usr/lib/python3', '/usr/lib/python3.11'];
const EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.py', '.c', '.h', '.go', '.rs', '.java'];
const MIN_BYTES = 200;
const MAX_BYTES = 900_000;

export interface RealCorpusSpec {
  readonly roots: readonly string[];
  /** Bytes of source copied into the indexed corpus (held-out files not counted). */
  readonly targetBytes: number;
  /** One file in this many is held out for queries. */
  readonly holdEvery: number;
  /** Work folder: `corpus/`, `corpus.json` (what was copied, the held-out files) and `index/` live here. */
  readonly workDir: string;
}

export interface RealCorpus {
  readonly corpusDir: string;
  readonly indexDir: string;
  /** Absolute paths of held-out files, in corpus order. */
  readonly heldOut: readonly string[];
  readonly files: number;
  readonly bytes: number;
}


/** Distinct-content source files of the roots within the size limits, roots in order, paths sorted. */
function candidates(roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const root of roots) {
    const all: string[] = [];
    walkSources(path.resolve(root), all, EXTENSIONS, (name) => name === '__pycache__');
    for (const p of all) {
      const size = fs.statSync(p).size;
      if (size < MIN_BYTES || size > MAX_BYTES) continue;
      const hash = crypto.createHash('sha1').update(fs.readFileSync(p)).digest('hex');
      if (seen.has(hash)) continue;
      seen.add(hash);
      out.push(p);
    }
  }
  return out;
}

function flatName(i: number, src: string): string {
  return `${String(Math.floor(i / 1000)).padStart(4, '0')}/${i}_${path.basename(src)}`;
}

/** Copies (first run) and indexes the corpus; `log` gets progress lines. */
export async function prepareRealCorpus(spec: RealCorpusSpec, log: (m: string) => void): Promise<RealCorpus> {
  const corpusDir = path.join(spec.workDir, 'corpus');
  const indexDir = path.join(spec.workDir, 'index');
  const marker = path.join(spec.workDir, 'corpus.json');
  const key = JSON.stringify({ roots: spec.roots.map((r) => fs.realpathSync(path.resolve(r))), targetBytes: spec.targetBytes, holdEvery: spec.holdEvery });
  let meta: { key: string; heldOut: string[]; files: number; bytes: number } | undefined;
  if (fs.existsSync(marker)) meta = JSON.parse(fs.readFileSync(marker, 'utf8')) as typeof meta;
  if (meta?.key !== key) {
    fs.rmSync(spec.workDir, { recursive: true, force: true });
    fs.mkdirSync(corpusDir, { recursive: true });
    const files = candidates(spec.roots);
    const heldOut: string[] = [];
    let bytes = 0;
    let copied = 0;
    for (let i = 0; i < files.length && bytes < spec.targetBytes; i++) {
      if (i % spec.holdEvery === 0) {
        heldOut.push(files[i]!);
        continue;
      }
      const dest = path.join(corpusDir, flatName(i, files[i]!));
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(files[i]!, dest);
      bytes += fs.statSync(dest).size;
      copied++;
    }
    meta = { key, heldOut, files: copied, bytes };
    fs.writeFileSync(marker, JSON.stringify(meta));
    log(`corpus: copied ${copied} files (${(bytes / 1e6).toFixed(1)} MB), held out ${heldOut.length}`);
  }
  let last = 0;
  const summary = await indexRepository(corpusDir, {
    indexDir,
    onProgress: (p) => {
      if (p.phase !== 'chunk' || Date.now() - last < 15_000) return;
      last = Date.now();
      log(`indexing: ${p.done}/${p.total} files`);
    },
  });
  log(`index: ${summary.files} files, ${summary.chunks} chunks (${summary.rechunked} chunked) in ${(summary.durationMs / 1000).toFixed(1)} s`);
  return { corpusDir, indexDir, heldOut: meta.heldOut, files: meta.files, bytes: meta.bytes };
}
