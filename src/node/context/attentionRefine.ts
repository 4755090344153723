/**
 * Attention-space refinement with a local ONNX decoder: one forward pass over the candidate chunks (line by
 * line, in rank order) followed by the cursor window; per layer, the keys before the query window are
 * clustered per KV head (5%) and the window's last queries are scored with the attention-space estimator
 * (attentionSpace.ts: at most 20% of the keys scored, centroids included); masses per line, summed over
 * layers, give masses per chunk, which `refineCandidates` blends with the retrieval scores. Queries come from
 * the graph's `queries.N` outputs when it has them, else from the window's own keys (key–key similarity), and
 * `queriesFrom` says which.
 */
import { throwIfCancelled, type CancellationToken } from '../../common/cancellation.ts';
import type { ScoredChunk } from '../../common/compress/compressTypes.ts';
import { splitLines } from '../../common/compress/massThinning.ts';
import { estimateChunkMass } from '../../common/context/attentionSpace.ts';
import { refineCandidates, type ChunkMass, type RefinedCandidates } from '../../common/context/attentionRefine.ts';
import { clusterKeys } from '../../common/context/keyClusters.ts';
import { chunkMasses, lineProbeLayout } from '../../common/context/lineProbeLayout.ts';
import { sequentialPositions } from '../../common/generate/prefixMatch.ts';
import type { DecoderSession } from '../generate/decoderSession.ts';
import type { OnnxDecoder } from '../generate/onnxDecoder.ts';
import { captureAttention } from './attentionProbe.ts';

export interface AttentionRefineRequest {
  readonly decoder: OnnxDecoder;
  /** Retrieved candidates, best retrieval score first. */
  readonly candidates: readonly ScoredChunk[];
  /** The text before the cursor (its last tokens are the queries). */
  readonly windowPrefix: string;
  /** Probe prompt size in tokens (default min(4096, trained context)). */
  readonly maxTokens?: number;
  /** Query tokens at the end of the window (default 16). */
  readonly queryTokens?: number;
  /** Dot products per query and head as a share of the chunk keys (default 0.2). */
  readonly maxScoredFraction?: number;
  /** The estimator's spread term (attentionSpace.ts; default on). */
  readonly spreadCorrection?: boolean;
  readonly massWeight?: number;
  readonly dropMassShare?: number;
  readonly token?: CancellationToken;
}

export interface AttentionRefinement extends RefinedCandidates {
  readonly queriesFrom: 'graph' | 'keys';
  readonly probeTokens: number;
  readonly probedCandidates: number;
  /** Highest share of the keys the queries see (context and window) scored by any layer (at most `maxScoredFraction`). */
  readonly scoredFraction: number;
  /** Masses per candidate (input order). */
  readonly masses: readonly ChunkMass[];
  /** Wall time of the forward pass, and of clustering and estimation over every layer. */
  readonly forwardMs: number;
  readonly estimateMs: number;
}

/** Estimated mass per line slot of the probe prompt, summed over layers. */
async function slotMasses(r: AttentionRefineRequest, ids: readonly number[], lineOf: Int32Array, slots: number) {
  const { decoder } = r;
  const queryCount = Math.min(r.queryTokens ?? 16, ids.length);
  const t0 = performance.now();
  const capture = await captureAttention(decoder.model as DecoderSession, decoder.folder.config,
    { ids: [...ids], positions: sequentialPositions(ids.length), chunkOf: lineOf, chunks: slots, queryCount }, r.token);
  const t1 = performance.now();
  const mass = new Float64Array(slots);
  let scored = 0;
  for (const layer of capture.layers) {
    throwIfCancelled(r.token);
    const est = estimateChunkMass(layer, clusterKeys(layer, { fraction: 0.05, seed: 1 }), { maxScoredFraction: r.maxScoredFraction ?? 0.2, spreadCorrection: r.spreadCorrection ?? true });
    est.mass.forEach((m, i) => { mass[i]! += m; });
    scored = Math.max(scored, est.scoredFraction);
  }
  return { mass, scored, queriesFrom: capture.queriesFrom, forwardMs: t1 - t0, estimateMs: performance.now() - t1 };
}

export async function refineWithAttention(r: AttentionRefineRequest): Promise<AttentionRefinement> {
  throwIfCancelled(r.token);
  const { decoder } = r;
  const maxTokens = r.maxTokens ?? Math.min(4096, decoder.folder.config.contextLength);
  const lines = r.candidates.map((c) => splitLines(c.chunk.text).map((l, i, all) => decoder.encode(i < all.length - 1 || c.chunk.text.endsWith('\n') ? `${l}\n` : l)));
  const layout = lineProbeLayout(lines, decoder.encode(r.windowPrefix), maxTokens);
  const probed = layout.spans.filter((s) => s !== undefined).length;
  if (layout.slots === 0 || layout.windowTokens === 0) {
    const masses = r.candidates.map((): ChunkMass => ({ mass: undefined }));
    return { ...refineCandidates(r.candidates, masses, r), queriesFrom: 'keys', probeTokens: 0, probedCandidates: 0, scoredFraction: 0, masses, forwardMs: 0, estimateMs: 0 };
  }
  const { mass, scored, queriesFrom, forwardMs, estimateMs } = await slotMasses(r, layout.ids, layout.lineOf, layout.slots);
  const masses = chunkMasses(layout, mass);
  return { ...refineCandidates(r.candidates, masses, r), queriesFrom, probeTokens: layout.ids.length, probedCandidates: probed, scoredFraction: scored, masses, forwardMs, estimateMs };
}
