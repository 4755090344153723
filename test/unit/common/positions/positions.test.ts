import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assignPositions, choosePolicy } from '../../../../src/common/positions/assignPositions.ts';
import { groupSizeFor } from '../../../../src/common/positions/policies.ts';
import { PositionOverflowError, type PositionPlan, type PositionPolicy, type TokenSegment } from '../../../../src/common/positions/positionTypes.ts';

const seg = (kind: string, n: number): TokenSegment => ({ kind, ids: Array.from({ length: n }, (_, i) => i) });
const prompt = [seg('marker', 1), seg('instructions', 5), seg('chunk', 40), seg('chunk', 70), seg('chunk', 20), seg('current-file', 30), seg('marker', 1)];

function strictlyIncreasing(p: readonly number[]): boolean {
  return p.every((x, i) => i === 0 || x > p[i - 1]!);
}

test('sequential numbers every token 0..N-1', () => {
  const plan = assignPositions(prompt, { policy: 'sequential', contextLength: 1000 });
  assert.deepEqual(plan.segments.flatMap((s) => s.positions), Array.from({ length: 167 }, (_, i) => i));
  assert.equal(plan.nextPosition, 167);
  assert.throws(() => assignPositions(prompt, { policy: 'sequential', contextLength: 100 }), PositionOverflowError);
});

test('parallel: every chunk at one base after the shared prefix, the rest after the longest chunk', () => {
  const plan = assignPositions(prompt, { policy: 'parallel', contextLength: 1000 });
  assert.equal(plan.base, 6);
  const chunks = plan.segments.filter((s) => s.kind === 'chunk');
  assert.deepEqual(chunks.map((s) => s.positions[0]), [6, 6, 6]);
  assert.equal(plan.segments[5]!.positions[0], 6 + 70);
  assert.equal(plan.segments[6]!.positions[0], 6 + 70 + 30);
  assert.equal(plan.maxPosition, 106);
  const stepped = assignPositions(prompt, { policy: 'parallel', contextLength: 1000, spanStep: 64 });
  assert.equal(stepped.segments[5]!.positions[0], 6 + 128, 'the rest after the longest chunk rounded up to 64');
});

test('grouped: far segments keep exact positions from base ⌊s/G⌋, the neighbour window continues after them', () => {
  const plan = assignPositions(prompt, { policy: 'grouped', contextLength: 120, neighbourWindow: 31 });
  const starts = [0, 1, 6, 46, 116];
  assert.equal(plan.groupedTokens, 136, 'the last two segments (31 tokens) are the window');
  assert.equal(plan.groupSize, groupSizeFor(starts, [1, 5, 40, 70, 20], 120 - 31));
  const g = plan.groupSize!;
  assert.ok(g > 1);
  plan.segments.slice(0, 5).forEach((s, i) => assert.equal(s.positions[0], Math.floor(starts[i]! / g), `segment ${i} base`));
  const farSpan = Math.max(...plan.segments.slice(0, 5).map((s) => s.positions.at(-1)! + 1));
  assert.equal(plan.segments[5]!.positions[0], farSpan);
  assert.equal(plan.segments[6]!.positions[0], farSpan + 30);
  assert.ok(plan.segments.every((s) => strictlyIncreasing(s.positions)));
  assert.ok(plan.maxPosition < 120);
  assert.equal(groupSizeFor(starts, [1, 5, 40, 70, 20], 69), undefined, 'the 70-token segment cannot fit in 69 positions');
});

test('grouped: the window gives up segments when it and the longest far segment do not fit, and fails only when nothing fits', () => {
  const plan = assignPositions(prompt, { policy: 'grouped', contextLength: 100, neighbourWindow: 31 });
  assert.equal(plan.groupedTokens, 166, 'only the last segment stays in the window');
  assert.ok(plan.maxPosition < 100);
  assert.throws(() => assignPositions(prompt, { policy: 'grouped', contextLength: 70 }), PositionOverflowError);
});

test('auto: sequential when it fits, parallel when only that fits, grouped otherwise; warm cache prefers parallel', () => {
  assert.equal(choosePolicy(prompt, { contextLength: 200 }), 'sequential');
  assert.equal(choosePolicy(prompt, { contextLength: 200, preferParallel: true }), 'parallel');
  assert.equal(choosePolicy(prompt, { contextLength: 120 }), 'parallel');
  assert.equal(choosePolicy(prompt, { contextLength: 100 }), 'grouped');
  assert.equal(choosePolicy(prompt, { contextLength: 200, reserve: 50 }), 'parallel');
});

const arbSegments = fc.array(
  fc.record({ kind: fc.constantFrom('instructions', 'chunk', 'chunk', 'open-file', 'current-file', 'marker'), n: fc.integer({ min: 1, max: 300 }) }),
  { minLength: 1, maxLength: 12 },
).map((rows) => rows.map((r) => seg(r.kind, r.n)));

function check(plan: PositionPlan, contextLength: number, reserve: number): void {
  assert.ok(plan.maxPosition + reserve < contextLength, `${plan.policy}: ${plan.maxPosition} + ${reserve} ≥ ${contextLength}`);
  for (const s of plan.segments) {
    assert.ok(s.positions.every((p) => Number.isInteger(p) && p >= 0));
    assert.ok(strictlyIncreasing(s.positions), `${plan.policy}: not strictly increasing in ${s.kind}`);
  }
}

/** Grouped needs the last segment and the longest other one side by side; nothing can do with less. */
function groupedCanFit(segments: readonly TokenSegment[], contextLength: number, reserve: number): boolean {
  const last = segments.at(-1)!.ids.length;
  const other = Math.max(0, ...segments.slice(0, -1).map((s) => s.ids.length));
  return last + other <= contextLength - reserve;
}

test('property: every policy stays within the trained context and is strictly increasing inside each segment', () => {
  fc.assert(
    fc.property(arbSegments, fc.integer({ min: 64, max: 4096 }), fc.integer({ min: 0, max: 32 }), fc.constantFrom<PositionPolicy | 'auto'>('auto', 'sequential', 'grouped', 'parallel'), (segments, contextLength, reserve, policy) => {
      try {
        check(assignPositions(segments, { policy, contextLength, reserve }), contextLength, reserve);
      } catch (e) {
        if (!(e instanceof PositionOverflowError)) throw e;
        if (policy === 'auto' || policy === 'grouped') assert.ok(!groupedCanFit(segments, contextLength, reserve), `${policy} gave up on a prompt grouped can place`);
      }
    }),
    { numRuns: 300 },
  );
});
