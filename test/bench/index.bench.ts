// bench:index — indexing throughput on a large real corpus (JS/TS sources from node_modules, offline).
// Measures, in one run and on the same files: raw tree-sitter parse throughput, AstChunker throughput
// (parse + SEA split + symbols + definitions), the full first `indexRepository` (scan, read, chunk, encode,
// commit), and a re-run with no change. Prints JSON, then a table.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Parser, type Language } from 'web-tree-sitter';
import { loadLanguage, resolveGrammarLocation } from '../../src/node/chunk/languageLoader.ts';
import { buildCorpus, type CorpusFile } from './lib/benchCorpus.ts';
import { AstChunker } from '../../src/node/chunk/astChunker.ts';
import { languageForPath } from '../../src/common/chunk/languages.ts';
import { indexRepository } from '../../src/node/indexer/repositoryIndexer.ts';

const GRAMMAR_BY_LANGUAGE: Record<string, string> = { typescript: 'typescript', javascript: 'javascript', tsx: 'tsx' };

function grammarDir(): string {
  const here = typeof __dirname === 'string' ? __dirname : path.dirname(new URL(import.meta.url).pathname);
  for (const c of [path.join(here, '../grammars'), path.join(here, '../../dist/grammars')]) {
    if (fs.existsSync(path.join(c, 'web-tree-sitter.wasm'))) return c;
  }
  throw new Error('dist/grammars not found: run `npm run build` first');
}

interface ParseVsChunk {
  parseMs: number;
  chunkMs: number;
  chunks: number;
}

/**
 * Raw tree-sitter parse and AstChunker.chunk on the same files, interleaved file by file after a warm-up of
 * both, so that JIT state, caches and the machine's load affect both sides alike.
 */
async function parseVsChunk(files: readonly CorpusFile[], texts: readonly string[]): Promise<ParseVsChunk> {
  const dir = grammarDir();
  const chunker = new AstChunker({ grammarDir: dir });
  await chunker.chunk('warmup.ts', 'const x = 1;\n'); // also runs Parser.init with this grammar dir
  const parser = new Parser();
  const langs = new Map<string, Language>();
  const r: ParseVsChunk = { parseMs: 0, chunkMs: 0, chunks: 0 };
  for (let i = 0; i < files.length; i++) {
    const g = GRAMMAR_BY_LANGUAGE[languageForPath(files[i]!.rel)] ?? 'javascript';
    let lang = langs.get(g);
    if (!lang) {
      lang = await loadLanguage(g, resolveGrammarLocation(dir));
      langs.set(g, lang);
      await chunker.chunk(files[i]!.rel, texts[i]!); // warm-up of this language's queries
    }
    parser.setLanguage(lang);
    const t0 = performance.now();
    parser.parse(texts[i]!)?.delete();
    const t1 = performance.now();
    r.chunks += (await chunker.chunk(files[i]!.rel, texts[i]!)).length;
    r.chunkMs += performance.now() - t1;
    r.parseMs += t1 - t0;
  }
  parser.delete();
  chunker.dispose();
  return r;
}

async function timeIndex(dir: string, indexDir: string): Promise<{ ms: number; files: number; chunks: number }> {
  const t0 = performance.now();
  const s = await indexRepository(dir, { indexDir });
  return { ms: performance.now() - t0, files: s.files, chunks: s.chunks };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '30' }, keep: { type: 'boolean', default: false } } });
  const { dir, files } = buildCorpus(path.resolve('node_modules'), Number(values.mb) * 1e6);
  const texts = files.map((f) => fs.readFileSync(f.abs, 'utf8'));
  const mb = files.reduce((s, f) => s + f.bytes, 0) / 1e6;
  try {
    const { parseMs, chunkMs, chunks } = await parseVsChunk(files, texts);
    const indexDir = path.join(dir, '.squeeze-bench-index');
    const first = await timeIndex(dir, indexDir);
    const again = await timeIndex(dir, indexDir);
    const result = {
      corpus: { files: files.length, mb: +mb.toFixed(2) },
      rawParseMBs: +(mb / (parseMs / 1000)).toFixed(2),
      chunkMBs: +(mb / (chunkMs / 1000)).toFixed(2),
      chunkToParseRatio: +(parseMs / chunkMs).toFixed(3),
      chunks,
      firstIndex: { ms: Math.round(first.ms), files: first.files, chunks: first.chunks, filesPerS: +(first.files / (first.ms / 1000)).toFixed(1), MBs: +(mb / (first.ms / 1000)).toFixed(2) },
      reindexNoChange: { ms: Math.round(again.ms), ratioToFirst: +(again.ms / first.ms).toFixed(3) },
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    console.log(JSON.stringify(result, null, 2));
    printTable(result);
  } finally {
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(r: Record<string, unknown>): void {
  const rows = Object.entries(r).flatMap(([k, v]) =>
    v && typeof v === 'object' ? Object.entries(v).map(([k2, v2]) => [`${k}.${k2}`, String(v2)]) : [[k, String(v)]],
  );
  const w = Math.max(...rows.map(([k]) => k!.length));
  console.log(`\n| ${'metric'.padEnd(w)} | value |\n|${'-'.repeat(w + 2)}|-------|`);
  for (const [k, v] of rows) console.log(`| ${k!.padEnd(w)} | ${v} |`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
