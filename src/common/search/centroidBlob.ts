/**
 * The persisted centroid index ("centroids" blob of the store): the routing (centroids, fine cluster per
 * row, τ) plus the file runs the rows came from, so that a later generation can keep the assignment of
 * every chunk of an unchanged file even when rows moved, and place only new chunks. Layout:
 *
 *   u32 magic "SQCB", u32 JSON byte length L, JSON {runs: [[path, hash, count], …], recallTarget, calibration}
 *   (padded to 4) | routing
 */
import type { Chunk } from '../chunk/chunk.ts';
import { IndexFormatError } from '../index/clusterSerialization.ts';
import { decodeRouting, encodeRouting, type ClusterRouting } from '../index/clusterRouting.ts';

const MAGIC = 0x42435153; // "SQCB"

/** `count` consecutive rows of one file, as of the generation that wrote the blob. */
export interface FileRun {
  readonly path: string;
  /** Content hash of the file ('' when unknown: then its rows are never carried over). */
  readonly hash: string;
  readonly count: number;
}

export interface CentroidBlob {
  readonly runs: readonly FileRun[];
  readonly routing: ClusterRouting;
  /** The recall target τ was calibrated for (0: the quantile rule). */
  readonly recallTarget: number;
  /** RECALL_CALIBRATION_VERSION of the rule that set τ (1 when the blob predates the field). */
  readonly calibration: number;
}

export function encodeCentroidBlob(b: CentroidBlob): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ runs: b.runs.map((r) => [r.path, r.hash, r.count]), recallTarget: b.recallTarget, calibration: b.calibration }));
  const head = 8 + Math.ceil(json.length / 4) * 4;
  const routing = encodeRouting(b.routing);
  const out = new Uint8Array(head + routing.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  out.set(routing, head);
  return out;
}

/** Throws IndexFormatError when the data is not a centroid blob of this version. */
export function decodeCentroidBlob(data: Uint8Array): CentroidBlob {
  if (data.length < 8) throw new IndexFormatError('centroid blob is truncated');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new IndexFormatError('not a Squeeze centroid blob');
  const len = view.getUint32(4, true);
  const head = 8 + Math.ceil(len / 4) * 4;
  if (head > data.length) throw new IndexFormatError('centroid blob is truncated');
  let parsed: { runs?: unknown; recallTarget?: unknown; calibration?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder().decode(data.subarray(8, 8 + len))) as typeof parsed;
  } catch {
    throw new IndexFormatError('centroid blob header is not JSON');
  }
  if (!Array.isArray(parsed.runs) || typeof parsed.recallTarget !== 'number') throw new IndexFormatError('centroid blob header is incomplete');
  const runs = (parsed.runs as [string, string, number][]).map(([path, hash, count]) => ({ path, hash, count }));
  const routing = decodeRouting(data.subarray(head));
  if (runs.reduce((n, r) => n + r.count, 0) < routing.ids.length) throw new IndexFormatError('centroid blob runs do not cover its rows');
  return { runs, routing, recallTarget: parsed.recallTarget, calibration: typeof parsed.calibration === 'number' ? parsed.calibration : 1 };
}

/** The file runs of `chunks` in row order; `hashOf` gives each file's content hash. */
export function fileRuns(chunks: readonly Pick<Chunk, 'path'>[], hashOf: (path: string) => string | undefined): FileRun[] {
  const runs: FileRun[] = [];
  for (const c of chunks) {
    const last = runs[runs.length - 1];
    if (last && last.path === c.path) runs[runs.length - 1] = { ...last, count: last.count + 1 };
    else runs.push({ path: c.path, hash: hashOf(c.path) ?? '', count: 1 });
  }
  return runs;
}

/**
 * The fine cluster of each current row, carried over from the blob for rows of files whose hash and
 * chunk count are unchanged; −1 for every other row (new or changed chunks, or rows the blob left out).
 */
export function carryAssignments(blob: Pick<CentroidBlob, 'runs' | 'routing'>, now: readonly FileRun[]): { itemFine: Int32Array; carried: number } {
  const fineOfOld = new Map<number, number>();
  blob.routing.ids.forEach((id, i) => fineOfOld.set(id, blob.routing.itemFine[i]!));
  const oldStart = new Map<string, { run: FileRun; start: number }>();
  let at = 0;
  for (const run of blob.runs) {
    oldStart.set(run.path, { run, start: at });
    at += run.count;
  }
  const total = now.reduce((n, r) => n + r.count, 0);
  const itemFine = new Int32Array(total).fill(-1);
  let row = 0;
  let carried = 0;
  for (const run of now) {
    const old = oldStart.get(run.path);
    if (old && run.hash !== '' && old.run.hash === run.hash && old.run.count === run.count) {
      for (let j = 0; j < run.count; j++) {
        const f = fineOfOld.get(old.start + j);
        if (f !== undefined) {
          itemFine[row + j] = f;
          carried++;
        }
      }
    }
    row += run.count;
  }
  return { itemFine, carried };
}
