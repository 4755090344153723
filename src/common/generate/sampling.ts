/**
 * Choosing the next token from one row of logits: greedy (argmax), or temperature + top-k + top-p sampling
 * with a seeded generator so runs are reproducible. `acceptDraft` is the speculative-sampling rule for a
 * deterministic draft (prompt lookup proposes one token with probability 1): accept it with probability
 * p(draft), otherwise sample from p with the draft removed. That keeps the output distribution exactly p.
 */
import { createRng, type Rng } from '../random.ts';

/** Re-exported: generation draws from the project's one seeded PRNG. */
export { createRng, type Rng };

export interface SamplingOptions {
  /** 0 (or below) means greedy. */
  readonly temperature: number;
  /** Nucleus mass kept, in (0, 1]; 1 keeps everything. */
  readonly topP: number;
  /** Keep at most this many tokens; 0 keeps all. */
  readonly topK: number;
}

export const GREEDY: SamplingOptions = { temperature: 0, topP: 1, topK: 0 };

export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < row.length; i++) {
    const v = row[i]!;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

export function isGreedy(o: SamplingOptions): boolean {
  return o.temperature <= 0;
}

interface Distribution {
  readonly ids: number[];
  readonly probs: number[];
}

/** Tokens far below the best cannot matter for sampling: skip them before sorting (factor e^-20). */
const NEGLIGIBLE_LOGIT_GAP = 20;

/** The truncated, renormalised distribution that sampling draws from. */
export function distribution(row: ArrayLike<number>, o: SamplingOptions): Distribution {
  const t = Math.max(o.temperature, 1e-6);
  const max = row[argmax(row)]!;
  const floor = max - NEGLIGIBLE_LOGIT_GAP * t;
  const ids: number[] = [];
  for (let i = 0; i < row.length; i++) if (row[i]! >= floor) ids.push(i);
  ids.sort((a, b) => row[b]! - row[a]! || a - b);
  if (o.topK > 0 && ids.length > o.topK) ids.length = o.topK;
  let weights = ids.map((i) => Math.exp((row[i]! - max) / t));
  let total = weights.reduce((s, w) => s + w, 0);
  if (o.topP < 1) {
    let mass = 0;
    let keep = 0;
    while (keep < ids.length && mass < o.topP * total) mass += weights[keep++]!;
    ids.length = Math.max(1, keep);
    weights = weights.slice(0, ids.length);
    total = mass || weights[0]!;
  }
  return { ids, probs: weights.map((w) => w / total) };
}

function draw(d: Distribution, rng: Rng): number {
  let u = rng();
  for (let i = 0; i < d.ids.length; i++) {
    u -= d.probs[i]!;
    if (u < 0) return d.ids[i]!;
  }
  return d.ids[d.ids.length - 1]!;
}

export function sampleToken(row: ArrayLike<number>, o: SamplingOptions, rng: Rng): number {
  return isGreedy(o) ? argmax(row) : draw(distribution(row, o), rng);
}

/** Verifies one drafted token against the model's row: `{ accepted: true }` or the replacement token. */
export function acceptDraft(row: ArrayLike<number>, draft: number, o: SamplingOptions, rng: Rng): { accepted: boolean; token: number } {
  if (isGreedy(o)) {
    const best = argmax(row);
    return { accepted: best === draft, token: best };
  }
  const d = distribution(row, o);
  const at = d.ids.indexOf(draft);
  const p = at < 0 ? 0 : d.probs[at]!;
  if (rng() < p) return { accepted: true, token: draft };
  if (at < 0 || p >= 1) return { accepted: false, token: draw(d, rng) };
  const ids = d.ids.filter((_, i) => i !== at);
  const probs = d.probs.filter((_, i) => i !== at).map((q) => q / (1 - p));
  return { accepted: false, token: draw({ ids, probs }, rng) };
}
