import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NotTextError, decodeText, readTextFile } from '../../../../src/node/scan/readTextFile.ts';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

test('decodeText: UTF-8 with and without BOM', () => {
  assert.equal(decodeText(new TextEncoder().encode('héllo → 😀')), 'héllo → 😀');
  assert.equal(decodeText(bytes(0xef, 0xbb, 0xbf, 0x61, 0x62)), 'ab');
  assert.equal(decodeText(bytes()), '');
});

test('decodeText: UTF-16 LE and BE with BOM, BOM stripped', () => {
  assert.equal(decodeText(bytes(0xff, 0xfe, 0x41, 0x00, 0x3d, 0xd8, 0x00, 0xde)), 'A😀');
  assert.equal(decodeText(bytes(0xfe, 0xff, 0x00, 0x41, 0xd8, 0x3d, 0xde, 0x00)), 'A😀');
});

test('decodeText: invalid bytes raise NotTextError', () => {
  assert.throws(() => decodeText(bytes(0x63, 0x61, 0x66, 0xe9)), NotTextError, 'Latin-1 é is not UTF-8');
  assert.throws(() => decodeText(bytes(0xc0, 0xaf)), NotTextError, 'overlong encoding');
  assert.throws(() => decodeText(bytes(0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00)), NotTextError, 'lone UTF-16 surrogate');
  assert.throws(() => decodeText(bytes(0xfe, 0xff, 0x00, 0x41, 0x00)), NotTextError, 'odd UTF-16 length');
  assert.throws(() => decodeText(bytes(0xe9)), /not valid UTF-8 text/);
});

test('readTextFile: reads and decodes a file; file system errors pass through', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'squeeze-read-'));
  try {
    writeFileSync(path.join(dir, 'a.txt'), Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69]));
    assert.equal(await readTextFile(path.join(dir, 'a.txt')), 'hi');
    await assert.rejects(readTextFile(path.join(dir, 'missing.txt')), { code: 'ENOENT' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
