/**
 * The squeezed-attention estimate of the attention mass a query puts on one member of cluster c, with
 * every member approximated by its centroid (Hooper et al., "Squeezed Attention", 2024):
 *
 *   s_c = q·μ_c / T        Ŝ(q,c) = exp(s_c) / Σ_k N_k exp(s_k)        (N_k = live members of k)
 *
 * so Σ_c N_c Ŝ(q,c) = 1. Everything is kept in log space: log Ŝ = s_c − logZ with
 * logZ = logsumexp_k(log N_k + s_k), which never overflows for small T.
 */

/**
 * logZ = log Σ_{c ∈ cands} N_c exp(sims[c]/T); clusters with N_c = 0 are skipped. The largest s_c is
 * factored out (terms N_c·exp(s_c − max) never overflow, and the largest is ≥ 1), so no log per cluster.
 */
export function logPartition(sims: Float32Array, counts: Uint32Array, cands: ArrayLike<number>, temperature: number): number {
  const inv = 1 / temperature;
  let m = -Infinity;
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i]!;
    if (counts[c]! > 0 && sims[c]! * inv > m) m = sims[c]! * inv;
  }
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i]!;
    if (counts[c]! > 0) s += counts[c]! * Math.exp(sims[c]! * inv - m);
  }
  return m + Math.log(s);
}

/** log Ŝ(q,c) given the cluster's similarity and the level's logZ. */
export function logMass(sim: number, logZ: number, temperature: number): number {
  return sim / temperature - logZ;
}

export interface SelectArgs {
  readonly sims: Float32Array;
  readonly counts: Uint32Array;
  readonly temperature: number;
  readonly logZ: number;
  /** Keep clusters with log Ŝ ≥ logTau. */
  readonly logTau: number;
  /** Then keep adding the most similar remaining clusters until they hold at least this many members. */
  readonly minItems: number;
}

/** The candidates kept at one level, in candidate order (the top-up ones appended by similarity). */
export function selectClusters(cands: ArrayLike<number>, a: SelectArgs): number[] {
  const kept: number[] = [];
  let items = 0;
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i]!;
    if (a.counts[c]! > 0 && logMass(a.sims[c]!, a.logZ, a.temperature) >= a.logTau) {
      kept.push(c);
      items += a.counts[c]!;
    }
  }
  return items >= a.minItems ? kept : topUp(cands, a, { kept, items });
}

/** Adds the most similar non-empty clusters not yet kept until they hold minItems members (usually 1–2 picks). */
function topUp(cands: ArrayLike<number>, a: SelectArgs, sel: { kept: number[]; items: number }): number[] {
  const have = new Set(sel.kept);
  let items = sel.items;
  while (items < a.minItems) {
    let best = -1;
    for (let i = 0; i < cands.length; i++) {
      const c = cands[i]!;
      if (a.counts[c] === 0 || have.has(c)) continue;
      if (best < 0 || a.sims[c]! > a.sims[best]! || (a.sims[c] === a.sims[best] && c < best)) best = c;
    }
    if (best < 0) break;
    have.add(best);
    sel.kept.push(best);
    items += a.counts[best]!;
  }
  return sel.kept;
}
