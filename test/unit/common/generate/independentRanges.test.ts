import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignToRanges, attentionStarts, checkIndependentRanges } from '../../../../src/common/generate/independentRanges.ts';
import { commonPrefixLength, sequentialPositions } from '../../../../src/common/generate/prefixMatch.ts';
import { assignPositions } from '../../../../src/common/positions/assignPositions.ts';
import { planRequest } from '../../../../src/common/positions/planRequest.ts';

const ranges = [{ start: 2, end: 5 }, { start: 5, end: 7 }];

test('attention starts: a chunk token starts at its chunk, every other token at 0', () => {
  assert.deepEqual(attentionStarts(9, ranges), [0, 0, 2, 2, 2, 5, 5, 0, 0]);
  assert.deepEqual(attentionStarts(3, undefined), [0, 0, 0]);
});

test('a reusable prefix that ends inside a chunk is cut back to the chunk start', () => {
  assert.deepEqual([0, 2, 3, 4, 5, 6, 7, 9].map((n) => alignToRanges(n, ranges)), [0, 2, 2, 2, 5, 5, 7, 9]);
  assert.equal(alignToRanges(4, undefined), 4);
});

test('ranges must be sorted, disjoint, inside the prompt and consecutive in position', () => {
  const positions = [0, 1, 2, 3, 4, 2, 3, 5, 6];
  checkIndependentRanges(ranges, positions);
  assert.throws(() => checkIndependentRanges([{ start: 5, end: 7 }, { start: 2, end: 5 }], positions), /out of order/);
  assert.throws(() => checkIndependentRanges([{ start: 2, end: 2 }], positions), /empty/);
  assert.throws(() => checkIndependentRanges([{ start: 7, end: 10 }], positions), /outside/);
  assert.throws(() => checkIndependentRanges([{ start: 3, end: 7 }], positions), /consecutive/);
});

test('prefix match compares attention starts too', () => {
  const a = { ids: [1, 2, 3, 4], positions: sequentialPositions(4), from: [0, 0, 2, 2] };
  assert.equal(commonPrefixLength(a, { ids: [1, 2, 3, 4], positions: sequentialPositions(4) }), 2);
  assert.equal(commonPrefixLength(a, { ...a }), 4);
});

test('planRequest: prompt-order ids and positions; parallel chunks as ranges, in canonical order', () => {
  const segments = [{ kind: 'marker', ids: [9] }, { kind: 'chunk', ids: [4, 5] }, { kind: 'chunk', ids: [1, 2, 3] }, { kind: 'current-file', ids: [6, 7] }];
  const parallel = planRequest(assignPositions(segments, { policy: 'parallel', contextLength: 100 }));
  assert.deepEqual(parallel, { ids: [9, 1, 2, 3, 4, 5, 6, 7], positions: [0, 1, 2, 3, 1, 2, 4, 5], independent: [{ start: 1, end: 4 }, { start: 4, end: 6 }] });
  checkIndependentRanges(parallel.independent!, parallel.positions!);
  const swapped = planRequest(assignPositions([segments[0]!, segments[2]!, segments[1]!, segments[3]!], { policy: 'parallel', contextLength: 100 }));
  assert.deepEqual(swapped, parallel, 'a change of rank alone leaves the request as it was');
  const sequential = planRequest(assignPositions(segments, { policy: 'sequential', contextLength: 100 }));
  assert.deepEqual(sequential, { ids: [9, 4, 5, 1, 2, 3, 6, 7], positions: sequentialPositions(8) });
});

test('planRequest windowFirst: the text after the chunks up to the next marker goes before them, at the same positions', () => {
  const segments = [
    { kind: 'marker', ids: [9] }, { kind: 'chunk', ids: [4, 5] }, { kind: 'chunk', ids: [1, 2, 3] },
    { kind: 'current-file', ids: [6, 7] }, { kind: 'marker', ids: [8] }, { kind: 'suffix', ids: [10] },
  ];
  const plan = assignPositions(segments, { policy: 'parallel', contextLength: 100 });
  const r = planRequest(plan, { windowFirst: true });
  assert.deepEqual(r, {
    ids: [9, 6, 7, 1, 2, 3, 4, 5, 8, 10], positions: [0, 4, 5, 1, 2, 3, 1, 2, 6, 7], independent: [{ start: 3, end: 6 }, { start: 6, end: 8 }],
  });
  checkIndependentRanges(r.independent!, r.positions!);
  assert.deepEqual(planRequest(assignPositions(segments, { policy: 'sequential', contextLength: 100 }), { windowFirst: true }).ids, [9, 4, 5, 1, 2, 3, 6, 7, 8, 10], 'only parallel moves segments');
});
