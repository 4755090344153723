import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptDraft, argmax, createRng, distribution, GREEDY, sampleToken } from '../../../../src/common/generate/sampling.ts';

const ROW = Float32Array.from([0.1, 2.0, 1.5, -1, 1.9]);

describe('sampling', () => {
  test('argmax and greedy', () => {
    assert.equal(argmax(ROW), 1);
    assert.equal(sampleToken(ROW, GREEDY, createRng(1)), 1);
  });

  test('the generator is deterministic per seed and uniform-ish', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
  });

  test('top-k and top-p truncate the distribution', () => {
    assert.deepEqual(distribution(ROW, { temperature: 1, topP: 1, topK: 2 }).ids, [1, 4]);
    const nucleus = distribution(ROW, { temperature: 1, topP: 0.5, topK: 0 });
    assert.deepEqual(nucleus.ids, [1, 4]);
    assert.ok(Math.abs(nucleus.probs.reduce((s, p) => s + p, 0) - 1) < 1e-9);
    assert.deepEqual(distribution(ROW, { temperature: 1, topP: 1e-9, topK: 0 }).ids, [1]);
  });

  test('greedy draft verification accepts exactly the argmax', () => {
    assert.deepEqual(acceptDraft(ROW, 1, GREEDY, createRng(1)), { accepted: true, token: 1 });
    assert.deepEqual(acceptDraft(ROW, 4, GREEDY, createRng(1)), { accepted: false, token: 1 });
  });

  test('sampled draft verification keeps the model distribution', () => {
    const o = { temperature: 1, topP: 1, topK: 0 };
    const p = distribution(ROW, o);
    const rng = createRng(9);
    const counts = new Map<number, number>();
    const n = 40000;
    for (let i = 0; i < n; i++) {
      const v = acceptDraft(ROW, 2, o, rng);
      counts.set(v.token, (counts.get(v.token) ?? 0) + 1);
    }
    p.ids.forEach((id, i) => {
      const seen = (counts.get(id) ?? 0) / n;
      assert.ok(Math.abs(seen - p.probs[i]!) < 0.01, `token ${id}: ${seen} vs ${p.probs[i]}`);
    });
  });
});
