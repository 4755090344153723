import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANCHOR_SLACK, windowPrefix } from '../../../../src/common/assemble/anchoredWindow.ts';
import { fitLines } from '../../../../src/common/assemble/windowFit.ts';

const count = (s: string): number => s.length;
const prefix = Array.from({ length: 40 }, (_, i) => `line ${String(i + 1).padStart(2, '0')}\n`).join('');

test('without an anchor the window is the longest tail that fits', () => {
  assert.deepEqual(windowPrefix({ prefix, startLine: 1 }, 100, count), fitLines(prefix, 100, count, true));
});

test('the window stays at its anchor line while it fits, then is cut again with room to grow', () => {
  const first = windowPrefix({ prefix, startLine: 1 }, 100, count);
  const anchorLine = 1 + first.cut;
  const typed = `${prefix}more\n`;
  const kept = windowPrefix({ prefix: typed, startLine: 1, anchorLine }, 110, count);
  assert.equal(kept.cut, first.cut, 'same first line while it fits');
  assert.ok(kept.text.startsWith(`line ${String(anchorLine).padStart(2, '0')}`));
  const grown = `${prefix}${'x'.repeat(20)}\n`;
  const recut = windowPrefix({ prefix: grown, startLine: 1, anchorLine }, 100, count);
  assert.ok(recut.cut > first.cut && recut.tokens <= 100 * (1 - ANCHOR_SLACK), `re-cut to ${recut.tokens} tokens`);
  const above = windowPrefix({ prefix: prefix.slice(0, 80), startLine: 1, anchorLine: 30 }, 100, count);
  assert.equal(above.cut, 0, 'an anchor below the cursor is ignored');
});
