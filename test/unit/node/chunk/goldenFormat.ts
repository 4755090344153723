// Renders the chunks of a file in the reviewable golden format of test/fixtures/chunker/**.chunks.txt.
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { formatSymbolPath } from '../../../../src/common/chunk/chunk.ts';
import { renderDetail } from '../../../../src/common/chunk/detailLevels.ts';
import { estimateTokens } from '../../../../src/common/chunk/estimateTokens.ts';

function header(c: Chunk, i: number): string {
  const symbol = c.symbolPath.length > 0 ? formatSymbolPath(c) : '(top level)';
  const defs = c.definitions.map((d) => `${d.kind} ${d.name}${d.body ? '' : ' (no body in chunk)'}`).join(', ') || '-';
  return `=== chunk ${i + 1}  lines ${c.startLine}-${c.endLine}  ~${estimateTokens(c.text)} tokens  symbol: ${symbol}  defs: ${defs}`;
}

function withFinalNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n⟨no newline at end⟩\n`;
}

/** Header line + collapsed rendering per chunk, then every chunk's signature rendering. */
export function formatGolden(chunks: readonly Chunk[], budgetTokens: number): string {
  const first = chunks[0];
  const lines = [
    `# ${first?.path ?? '(empty)'}  language: ${first?.language ?? '-'}  parser: ${first?.parser ?? '-'}  ` +
      `chunks: ${chunks.length}  budget: ${budgetTokens} tokens  (chunks shown at the 'collapsed' level)`,
  ];
  let out = lines.join('\n') + '\n';
  chunks.forEach((c, i) => {
    out += header(c, i) + '\n' + withFinalNewline(renderDetail(c, 'collapsed'));
  });
  out += '--- signature ---\n';
  for (const c of chunks) {
    const sig = renderDetail(c, 'signature');
    if (sig !== '') out += sig + '\n';
  }
  return out;
}
