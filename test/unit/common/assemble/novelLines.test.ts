import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markShown, noveltyState, novelLines } from '../../../../src/common/assemble/novelLines.ts';

const PREFIX = 'import { Cart } from "./cart";\nfunction checkout(cart: Cart) {\n  const total = cart.total();\n  ';

describe('novelLines', () => {
  it('drops lines already shown, comment lines and lines naming nothing new', () => {
    const chunk = [
      'export class Cart {',
      '  // the cart total',
      '  const total = cart.total();',
      '  total() {',
      '    return this.items.reduce((s, i) => s + i.price, 0);',
      '  }',
      '}',
    ].join('\n');
    const out = novelLines(chunk, 'typescript', noveltyState(PREFIX), { anchorSimilarity: 2 });
    assert.deepEqual(out, { text: 'return this.items.reduce((s, i) => s + i.price, 0);', droppedLines: 6 });
  });

  it('counts a line resembling the last lines before the cursor as an anchor by default', () => {
    const out = novelLines('  const total = cart.total();\n  cart.clear();', 'typescript', noveltyState(PREFIX));
    assert.equal(out?.text, 'const total = cart.total();\ncart.clear();');
  });

  it('removes the indentation the kept lines share, gap markers included, and keeps the rest', () => {
    const chunk = '    def pay(self, cart):\n        # sum\n        total = cart.total()\n        if total > self.limit:\n            cart.clear()\n';
    const out = novelLines(chunk, 'python', noveltyState(''), { anchorSimilarity: 2 });
    assert.equal(out?.text, 'def pay(self, cart):\n    …\n    total = cart.total()\n    if total > self.limit:\n        cart.clear()');
    const tabs = novelLines('\t\tfoo(a)\n\t\t\tbar(b)', 'go', noveltyState(''), { anchorSimilarity: 2 });
    assert.equal(tabs?.text, 'foo(a)\n\tbar(b)');
  });

  it('keeps a line resembling the last lines before the cursor and the lines after it, whatever they show', () => {
    const chunk = 'function pay(cart) {\n  // sum\n  const total = cart.total();\n  if (total > limit) {\n    cart.clear();\n  }\n  log(total);\n}';
    const out = novelLines(chunk, 'javascript', noveltyState(PREFIX), { anchorFollow: 2 });
    assert.equal(out?.text, 'function pay(cart) {\n  …\n  const total = cart.total();\n  if (total > limit) {\n    cart.clear();\n  …\n  log(total);');
    assert.equal(out?.droppedLines, 3);
  });

  it('returns undefined when nothing is new and learns what a kept piece showed', () => {
    const state = noveltyState(PREFIX);
    assert.equal(novelLines('# only a comment\n\n', 'python', state), undefined);
    const first = novelLines('receipt = Receipt(total)', 'python', state);
    assert.equal(first?.text, 'receipt = Receipt(total)');
    markShown(state, first?.text ?? '');
    assert.equal(novelLines('receipt = Receipt(total)\nreceipt.total', 'python', state), undefined);
    assert.ok(state.knownNames.has('Receipt'));
  });
});
