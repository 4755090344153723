import type { ClusterState } from './clusterState.ts';

/**
 * Incremental changes without re-clustering. A new item goes to the fine cluster the lookup itself
 * would descend to (most similar coarse centroid, then its most similar fine child) and is appended as
 * an extra row of that cluster; a removed item is tombstoned. Counts N_k update at once, so the
 * estimator stays exact about cluster sizes; the member sums of touched clusters are kept for drift.
 */

/** The fine cluster an item with unit vector v belongs to. */
export function nearestFine(s: ClusterState, v: Float32Array, sims: { coarse: Float32Array; fine: Float32Array }): number {
  s.coarse.setQuery(v);
  s.coarse.score(0, s.coarse.rows, sims.coarse);
  const c = argmax(sims.coarse, 0, s.coarse.rows);
  const a = s.coarseFine[c]!;
  const b = s.coarseFine[c + 1]!;
  s.fine.setQuery(v);
  s.fine.score(a, b - a, sims.fine, a);
  return argmax(sims.fine, a, b);
}

/** Appends item `id` (unit vector v, id not present) to fine cluster f. */
export function addItem(s: ClusterState, id: number, v: Float32Array, f: number): void {
  touch(s, f, v, 1);
  const r = s.rows.append(v);
  if (r >= s.rowIds.length) growRowArrays(s, r + 1);
  s.rowIds[r] = id;
  s.rowFine[r] = f;
  s.rowDead[r] = 0;
  const extra = s.fineExtra.get(f);
  if (extra) extra.push(r);
  else s.fineExtra.set(f, [r]);
  count(s, id, r, f, 1);
}

/** Tombstones item `id`; false when absent. */
export function removeItem(s: ClusterState, id: number): boolean {
  const r = s.where.get(id);
  if (r === undefined) return false;
  const f = s.rowFine[r]!;
  touch(s, f, s.rows.row(r), -1);
  s.rowDead[r] = 1;
  s.dead++;
  count(s, id, r, f, -1);
  return true;
}

/** Puts back item `id` tombstoned by `removeItem` at row `r`, in the same cluster (the inverse of removeItem). */
export function reviveItem(s: ClusterState, id: number, r: number): void {
  if (!s.rowDead[r] || s.where.has(id) || s.rowIds[r] !== id) throw new Error(`reviveItem: row ${r} does not hold a removed item ${id}`);
  const f = s.rowFine[r]!;
  touch(s, f, s.rows.row(r), 1);
  s.rowDead[r] = 0;
  s.dead--;
  count(s, id, r, f, 1);
}

/** Item `id` at row r joins (+1) or leaves (−1) fine cluster f: the id map and the counts N_k. */
function count(s: ClusterState, id: number, r: number, f: number, sign: 1 | -1): void {
  if (sign > 0) s.where.set(id, r);
  else s.where.delete(id);
  s.fineCount[f]! += sign;
  s.coarseCount[s.fineParent[f]!]! += sign;
  s.live += sign;
}

/** Σ of the live members of f (main and extra rows). */
export function memberSum(s: ClusterState, f: number): Float64Array {
  const sum = new Float64Array(s.dim);
  const add = (r: number): void => {
    if (s.rowDead[r]) return;
    const v = s.rows.row(r);
    for (let d = 0; d < s.dim; d++) sum[d]! += v[d]!;
  };
  for (let r = s.fineRows[f]!; r < s.fineRows[f + 1]!; r++) add(r);
  for (const r of s.fineExtra.get(f) ?? []) add(r);
  return sum;
}

function touch(s: ClusterState, f: number, v: Float32Array, sign: number): void {
  let sum = s.touchedSums.get(f);
  if (!sum) {
    sum = memberSum(s, f);
    s.touchedSums.set(f, sum);
  }
  for (let d = 0; d < s.dim; d++) sum[d]! += sign * v[d]!;
}

function growRowArrays(s: ClusterState, need: number): void {
  const cap = Math.max(need, Math.ceil(s.rowIds.length * 1.5));
  const ids = new Uint32Array(cap);
  ids.set(s.rowIds);
  const fine = new Int32Array(cap);
  fine.set(s.rowFine);
  const dead = new Uint8Array(cap);
  dead.set(s.rowDead);
  s.rowIds = ids;
  s.rowFine = fine;
  s.rowDead = dead;
}

function argmax(a: Float32Array, from: number, to: number): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if (a[i]! > a[best]!) best = i;
  return best;
}
