import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, parseCommandArgs, type CliCommand, type CliIo } from '../cliCommand.ts';
import { formatHits, formatSummary, previewLine } from '../formatResults.ts';
import { indexWithProgress } from '../indexWithProgress.ts';
import { openSearchIndex } from '../../node/indexer/searchIndex.ts';

const OPTIONS = {
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: squeeze demo [--verbose]

Indexes the bundled sample repository (a small multi-language bookstore) into a temporary
index folder and runs a few questions against it, printing the best chunks with a preview.
`;

/** Questions whose answer lives in one clear place of the sample repository. */
export const DEMO_QUERIES: readonly string[] = [
  'apply a discount code to the cart total',
  'reserve stock for an order, roll back when out of stock',
  'refund a payment in the ledger',
  'validate the ISBN checksum',
  'books customers bought together',
];

/** `test/fixtures/sample-repo`, next to the bundle (`dist/../test/...`) or to this source file. */
export function sampleRepoDir(): string {
  const here = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, '..', 'test/fixtures/sample-repo'), path.join(here, '../../..', 'test/fixtures/sample-repo')];
  const found = candidates.find((c) => fs.existsSync(path.join(c, 'README.md')));
  if (!found) throw new Error(`sample repository not found (looked in ${candidates.join(', ')})`);
  return found;
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const root = sampleRepoDir();
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-demo-'));
  const verbose = values.verbose === true;
  try {
    const summary = await indexWithProgress(root, io, { indexDir, verbose });
    io.stdout.write(`${formatSummary(root, summary)}\n`);
    const index = await openSearchIndex(root, { indexDir });
    for (const query of DEMO_QUERIES) {
      const hits = await index.search(query, 3, io.token);
      io.stdout.write(`\n? ${query}\n`);
      const lines = formatHits(hits);
      hits.forEach((h, i) => {
        const p = previewLine(h, query);
        io.stdout.write(`  ${lines[i]}\n      ${String(p.line).padStart(4)}│ ${p.text}\n`);
      });
      if (hits.length === 0) io.stdout.write('  (no match)\n');
    }
  } finally {
    fs.rmSync(indexDir, { recursive: true, force: true });
  }
  return EXIT.ok;
}

export const DEMO_COMMAND: CliCommand = {
  name: 'demo',
  summary: 'Index the bundled sample repository and run a few searches',
  usage: USAGE,
  run,
};
