import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The esbuild output of src/node/workers/encoderWorker.ts. */
export const ENCODER_WORKER_BUNDLE = 'encoderWorker.cjs';

/**
 * The encoder worker bundle beside the running bundle: `dist/workers/encoderWorker.cjs` seen from
 * dist/extension.cjs, dist/cli.cjs, dist/bench/*.cjs or dist/workers/*.cjs. Undefined when running from
 * source (tsx): there is no bundle next to src/, and a stale dist/ must not be picked up instead.
 */
export function findEncoderWorker(from: string = fileURLToPath(import.meta.url)): string | undefined {
  const here = path.dirname(from);
  const candidates = [path.join(here, ENCODER_WORKER_BUNDLE), path.join(here, 'workers', ENCODER_WORKER_BUNDLE), path.join(here, '..', 'workers', ENCODER_WORKER_BUNDLE)];
  return candidates.find((f) => fs.existsSync(f));
}
