import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlan } from '../../../../src/node/context/formatContext.ts';
import type { PositionPlan } from '../../../../src/common/positions/positionTypes.ts';

const plan = (extra: Partial<PositionPlan>): PositionPlan => ({ policy: 'grouped', segments: [], maxPosition: 9, nextPosition: 10, ...extra });

test('a grouped plan names its group size, or says that nothing needed grouping', () => {
  assert.match(formatPlan(plan({ groupSize: 4, groupedTokens: 1200 }), []), /G=4 over the first 1200 tokens/);
  const fits = formatPlan(plan({ groupSize: 1, groupedTokens: 0 }), []);
  assert.match(fits, /no grouping needed \(the prompt fits the trained context\)/);
  assert.doesNotMatch(fits, /over the first 0 tokens/);
});
