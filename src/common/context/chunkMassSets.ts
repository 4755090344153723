/** Which chunks hold the top share of attention mass, and how well an estimate finds those of exact attention. */

/** Chunks by descending mass (ties: lower index first) until they hold at least `share` of the total. */
export function topMassSet(mass: ArrayLike<number>, share: number): number[] {
  const order = Array.from({ length: mass.length }, (_, i) => i).sort((x, y) => mass[y]! - mass[x]! || x - y);
  let total = 0;
  for (let i = 0; i < mass.length; i++) total += mass[i]!;
  const out: number[] = [];
  let held = 0;
  for (const c of order) {
    if (held >= share * total || total <= 0) break;
    out.push(c);
    held += mass[c]!;
  }
  return out;
}

export interface MassCoverage {
  /** The chunks holding the top `share` of exact mass, and of estimated mass. */
  readonly exactSet: readonly number[];
  readonly estimateSet: readonly number[];
  /** Share of exactSet inside estimateSet. */
  readonly recall: number;
  /** Exact mass held by estimateSet, as a share of all exact chunk mass. */
  readonly massCovered: number;
}

export function massCoverage(exact: ArrayLike<number>, estimate: ArrayLike<number>, share: number): MassCoverage {
  const exactSet = topMassSet(exact, share);
  const estimateSet = topMassSet(estimate, share);
  const picked = new Set(estimateSet);
  let total = 0;
  let covered = 0;
  for (let i = 0; i < exact.length; i++) {
    total += exact[i]!;
    if (picked.has(i)) covered += exact[i]!;
  }
  return {
    exactSet, estimateSet,
    recall: exactSet.length > 0 ? exactSet.filter((c) => picked.has(c)).length / exactSet.length : 1,
    massCovered: total > 0 ? covered / total : 1,
  };
}
