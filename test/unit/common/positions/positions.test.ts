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
});

test('grouped: far tokens share ⌊j/G⌋, the neighbour window is exact and continues after them', () => {
  const plan = assignPositions(prompt, { policy: 'grouped', contextLength: 64, neighbourWindow: 31 });
  const flat = plan.segments.flatMap((s) => s.positions);
  const far = 167 - 31;
  assert.equal(plan.groupSize, groupSizeFor(far, 31, 64));
  assert.equal(plan.groupSize, 5);
  assert.deepEqual(flat.slice(0, 6), [0, 0, 0, 0, 0, 1]);
  const window = flat.slice(far);
  assert.ok(strictlyIncreasing(window));
  assert.equal(window[0], flat[far - 1]! + 1);
  assert.ok(plan.maxPosition < 64);
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
  const grouped = plan.groupedTokens ?? 0;
  let j = 0;
  for (const s of plan.segments) {
    assert.ok(s.positions.every((p) => Number.isInteger(p) && p >= 0));
    const farPart = s.positions.slice(0, Math.max(0, grouped - j));
    const exactPart = s.positions.slice(farPart.length);
    assert.ok(farPart.every((p, i) => i === 0 || p - farPart[i - 1]! <= 1 && p >= farPart[i - 1]!), 'grouped far part non-decreasing');
    assert.ok(strictlyIncreasing(exactPart), `${plan.policy}: not strictly increasing in ${s.kind}`);
    if (plan.policy !== 'grouped') assert.ok(strictlyIncreasing(s.positions));
    j += s.ids.length;
  }
}

test('property: every policy stays within the trained context and increases inside each segment', () => {
  fc.assert(
    fc.property(arbSegments, fc.integer({ min: 64, max: 4096 }), fc.integer({ min: 0, max: 32 }), fc.constantFrom<PositionPolicy | 'auto'>('auto', 'sequential', 'grouped', 'parallel'), (segments, contextLength, reserve, policy) => {
      try {
        check(assignPositions(segments, { policy, contextLength, reserve }), contextLength, reserve);
      } catch (e) {
        if (!(e instanceof PositionOverflowError)) throw e;
        assert.notEqual(policy, 'auto', 'auto always finds a policy that fits');
        assert.notEqual(policy, 'grouped');
      }
    }),
    { numRuns: 300 },
  );
});
