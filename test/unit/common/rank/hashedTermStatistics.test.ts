import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HashedEncoder, hashedBucket } from '../../../../src/common/encode/hashedEncoder.ts';
import { hashedTermStatistics } from '../../../../src/common/rank/hashedTermStatistics.ts';

test('hashedBucket is the bucket HashedEncoder puts the token in', () => {
  for (const dim of [1024, 4096]) {
    const encoder = new HashedEncoder({ dim });
    for (const token of ['ledger', 'total', 'amount', 'config', 'http']) {
      const v = encoder.termVector(token);
      const nonZero = [...v.keys()].filter((b) => v[b] !== 0);
      assert.deepEqual(nonZero, [hashedBucket(token, dim)], `${token} at dim ${dim}`);
    }
  }
});

test('hashedTermStatistics reads a token\'s document frequency from its bucket of the fitted table', () => {
  const encoder = new HashedEncoder({ dim: 4096 });
  const table = encoder.fitIdf(['ledger total', 'ledger amount', 'ledger', 'parse http']);
  const s = hashedTermStatistics(table);
  assert.equal(s.docCount, 4);
  assert.equal(s.documentFrequency('ledger'), 3);
  assert.equal(s.documentFrequency('pars'), 1, '`parse` is stemmed to the token `pars`');
  assert.equal(s.documentFrequency('absent'), table.df[hashedBucket('absent', 4096)]);
});
