import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Chunk } from '../../../../src/common/chunk/chunk.ts';
import { buildDefinitionTable } from '../../../../src/common/eval/definitionTable.ts';
import { namesNearCursor, resolveReceiverType, symbolPieces } from '../../../../src/common/eval/symbolContext.ts';

function chunk(path: string, text: string, defs: { kind: string; name: string; depth: number; sig: string }[]): Chunk {
  return {
    path, language: 'typescript', span: { start: 0, end: text.length }, startLine: 1, endLine: text.split('\n').length, symbolPath: [], text, parser: 'tree-sitter',
    definitions: defs.map((d) => {
      const start = text.indexOf(d.sig);
      return { kind: d.kind, name: d.name, depth: d.depth, signature: { start, end: start + d.sig.length } };
    }),
  };
}

const CLIENT = 'export class Client {\n  send(body: string): void {}\n  close(): void {}\n}\n';

describe('eval symbol context', () => {
  it('resolves a receiver type from annotations, constructions and declarations', () => {
    assert.equal(resolveReceiverType('const c: Client = make();\n', 'c'), 'Client');
    assert.equal(resolveReceiverType('self.client = HttpClient(url)\n', 'client'), 'HttpClient');
    assert.equal(resolveReceiverType('final Map<String, Integer> counts = new HashMap<>();\n', 'counts'), 'HashMap');
    assert.equal(resolveReceiverType('x = 1', 'Registry'), 'Registry');
    assert.equal(resolveReceiverType('x = 1', 'y'), undefined);
  });

  it('puts the receiver type first, then names from the cursor back', () => {
    const names = namesNearCursor({ prefix: 'const c = new Client();\nconst size = 3;\nc.' });
    assert.deepEqual(names.slice(0, 3), ['Client', 'c', 'size']);
  });

  it('lists a class with its members and never the target file', () => {
    const table = buildDefinitionTable([
      chunk('client.ts', CLIENT, [
        { kind: 'class', name: 'Client', depth: 0, sig: 'export class Client' },
        { kind: 'method', name: 'send', depth: 1, sig: 'send(body: string): void' },
        { kind: 'method', name: 'close', depth: 1, sig: 'close(): void' },
      ]),
      chunk('main.ts', 'class Client {}\n', [{ kind: 'class', name: 'Client', depth: 0, sig: 'class Client' }]),
    ]);
    assert.deepEqual(table.members.get('client.ts#Client')?.map((d) => d.name), ['send', 'close']);
    const pieces = symbolPieces(table, { file: 'main.ts', prefix: 'const c = new Client();\nc.' });
    assert.deepEqual(pieces.map((p) => p.path), ['client.ts']);
    assert.equal(pieces[0]?.text, 'export class Client\n  send(body: string): void\n  close(): void');
  });
});
