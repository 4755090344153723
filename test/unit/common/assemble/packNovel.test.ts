import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packNovel } from '../../../../src/common/assemble/packNovel.ts';
import { CancellationTokenSource } from '../../../../src/common/cancellation.ts';

interface Item {
  readonly name: string;
  readonly text: string;
}

const options = (budget: number) => ({
  prefix: 'x = load(path, mode)\n',
  budget,
  cost: (s: string) => s.length,
  text: (i: Item) => i.text,
  language: () => 'python',
  render: (i: Item, body: string) => `# ${i.name}\n${body}\n`,
});

describe('packNovel', () => {
  it('packs by rank, skips what adds nothing or does not fit, and thins later pieces against earlier ones', () => {
    const items: Item[] = [
      { name: 'a', text: 'y = parse(x)\nz = render(y)' },
      { name: 'b', text: 'x\n# comment' },
      { name: 'big', text: `w = ${'q'.repeat(200)}` },
      { name: 'c', text: 'y = parse(x)\nsave(z)' },
    ];
    const packed = packNovel(items, options(60));
    assert.deepEqual(packed.outcomes.map((o) => [o.item.name, o.kept ? o.body : o.reason]), [
      ['a', 'y = parse(x)\nz = render(y)'],
      ['b', 'nothing new'],
      ['big', 'over budget'],
      ['c', 'save(z)'],
    ]);
    assert.equal(packed.used, '# a\ny = parse(x)\nz = render(y)\n'.length + '# c\nsave(z)\n'.length);
    assert.ok(packed.used <= 60);
  });

  it('stops on cancellation', () => {
    const source = new CancellationTokenSource();
    source.cancel();
    assert.throws(() => packNovel([{ name: 'a', text: 'b = c' }], { ...options(100), token: source.token }), /cancel/i);
  });
});
