// Inputs of bench:encoder: real code chunks of this repository's src/ (AstChunker, the texts the index
// encodes), and the raw onnxruntime baseline fed exactly the batches the encoder's host builds, run in a
// worker thread of its own so that its output tensors never load the main thread's heap.
import fs from 'node:fs';
import path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import type { InferenceSession } from 'onnxruntime-node';
import { planBatches } from '../../../src/common/encode/batchPlan.ts';
import { chunkEncodingText } from '../../../src/common/encode/chunkEncodingText.ts';
import { AstChunker } from '../../../src/node/chunk/astChunker.ts';
import { padBatch, type PaddedBatch } from '../../../src/node/encode/encoderBatch.ts';
import { ENCODER_OUTPUT } from '../../../src/node/encode/encoderGraph.ts';
import { WINDOW_BATCHES } from '../../../src/node/encode/encoderHost.ts';
import { lowerThreadPriority } from '../../../src/node/encode/threadPriority.ts';
import type { EncodedText, EncoderTokenizer } from '../../../src/node/encode/encoderTokenizer.ts';
import { createSession, type ExecutionProvider } from '../../../src/node/generate/sessionFactory.ts';

/** Every chunk of the .ts files under `root` (sorted paths), as encoder input text; `count` evenly spread. */
export async function repoChunkTexts(root: string, count: number, chunkTokens = 256): Promise<string[]> {
  const files = fs.readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).sort();
  const chunker = new AstChunker({ chunkTokens });
  const texts: string[] = [];
  try {
    for (const f of files) {
      const rel = path.join(path.basename(root), f);
      for (const c of await chunker.chunk(rel, fs.readFileSync(path.join(root, f), 'utf8'))) texts.push(chunkEncodingText(c));
    }
  } finally {
    chunker.dispose();
  }
  if (texts.length <= count) return texts;
  return Array.from({ length: count }, (_, i) => texts[Math.floor((i * texts.length) / count)]!);
}

export interface RawPlan {
  /** The rows of each batch, in the host's order (padding happens where the batch runs). */
  readonly batches: readonly (readonly EncodedText[])[];
  readonly tokens: number;
  readonly paddedTokens: number;
  readonly lengths: readonly number[];
}

/** Tokenizes `texts` and groups them into the batches the host would run (same windows, same sort). */
export function rawPlan(texts: readonly string[], tokenizer: EncoderTokenizer, batchSize: number): RawPlan {
  const encoded: EncodedText[] = texts.map((t) => tokenizer.encode(t));
  const window = batchSize * WINDOW_BATCHES;
  const batches: EncodedText[][] = [];
  for (let start = 0; start < encoded.length; start += window) {
    const part = encoded.slice(start, start + window);
    for (const b of planBatches(part.map((e) => e.ids.length), batchSize)) batches.push(b.map((i) => part[i]!));
  }
  const lengths = encoded.map((e) => e.ids.length);
  const paddedTokens = batches.reduce((a, b) => a + b.length * Math.max(...b.map((r) => r.ids.length)), 0);
  return { batches, lengths, tokens: lengths.reduce((a, b) => a + b, 0), paddedTokens };
}

/** Runs prepared batches through session.run; returns wall milliseconds (feeds built beforehand). */
export async function runRaw(session: InferenceSession, batches: readonly PaddedBatch[]): Promise<number> {
  const t0 = performance.now();
  for (const b of batches) await session.run(b.feeds, [ENCODER_OUTPUT]);
  return performance.now() - t0;
}

export interface RawWorkerData {
  readonly onnxFile: string;
  readonly provider: ExecutionProvider;
  readonly threads: number;
  /** The encoder worker's nice value, applied to this worker too (Linux). */
  readonly nice: number;
  /** Per group, the rows of each batch. */
  readonly groups: readonly (readonly (readonly EncodedText[])[])[];
}

/**
 * The raw side in its own worker thread (as the encoder's model runs in one): pads every batch once,
 * then answers each message (a group index) with the milliseconds session.run took for that group.
 */
export async function serveRawWorker(port: MessagePort, data: RawWorkerData): Promise<void> {
  lowerThreadPriority(data.nice);
  const { session } = await createSession(data.onnxFile, { providers: [data.provider], threads: data.threads, spinning: false });
  const graph = { hasTokenTypes: session.inputNames.includes('token_type_ids') };
  const padded = data.groups.map((g) => g.map((rows) => padBatch(rows, graph)));
  port.on('message', (group: number) => void runRaw(session, padded[group]!).then((ms) => port.postMessage(ms)));
  port.postMessage('ready');
}
