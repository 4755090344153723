import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SEGMENTS, planSegments } from '../../../../src/node/store/segmentPlan.ts';
import type { SegmentInfo } from '../../../../src/node/store/indexManifest.ts';

const seg = (gen: number, rows: number): SegmentInfo => ({
  gen, rows, chunksBytes: 0, chunksSha256: '', chunksMtimeMs: 0, vectorsBytes: 0, vectorsSha256: '', vectorsMtimeMs: 0,
});
const ref = (seg: number, count: number) => ({ range: { seg, row: 0, count } });

test('segments stay as they are while at least half their rows are live; unreferenced ones are dropped', () => {
  const plan = planSegments([ref(1, 5), ref(2, 1), {}], [seg(1, 10), seg(2, 4), seg(3, 7)]);
  assert.deepEqual([...plan.keep], [1]);
  assert.deepEqual([...plan.compact], [2]);
});

test('past MAX_SEGMENTS the smallest segments are merged, down to half the limit', () => {
  const live = Array.from({ length: MAX_SEGMENTS }, (_, i) => seg(i + 1, 100 + i));
  const plan = planSegments(live.map((s) => ref(s.gen, s.rows)), live);
  assert.equal(plan.keep.size + 1, MAX_SEGMENTS / 2);
  assert.deepEqual([...plan.compact].sort((a, b) => a - b), Array.from({ length: MAX_SEGMENTS / 2 + 1 }, (_, i) => i + 1));
});
