import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Definition } from '../../../../src/common/chunk/chunk.ts';
import { bodyMarker, renderDetail } from '../../../../src/common/chunk/detailLevels.ts';

/** A definition whose signature and body are found by searching `text` (first occurrences). */
function def(text: string, kind: string, name: string, sig: string, body: string | undefined, depth = 0): Definition {
  const s = text.indexOf(sig);
  assert.ok(s >= 0, sig);
  const d = { kind, name, signature: { start: s, end: s + sig.length }, depth };
  if (body === undefined) return d;
  const b = text.indexOf(body, s);
  assert.ok(b >= 0, body);
  return { ...d, body: { start: b, end: b + body.length } };
}

const TS = `class Greeter {
  private n = 0;

  greet(name: string): string {
    const inner = () => {
      return name;
    };
    return inner();
  }

  get count(): number { return this.n; }
}
`;

test('collapsed: function-like bodies become { … }; class bodies stay, nested bodies are skipped', () => {
  const classBody = TS.slice(TS.indexOf('{'), TS.lastIndexOf('}') + 1);
  const greetBody = TS.slice(TS.indexOf('{', TS.indexOf('greet(')), TS.indexOf('  get count') - 2);
  const chunk = {
    language: 'typescript',
    text: TS,
    definitions: [
      def(TS, 'class', 'Greeter', 'class Greeter', classBody),
      def(TS, 'method', 'greet', 'greet(name: string): string', greetBody, 1),
      def(TS, 'function', 'inner', 'const inner = () =>', '{\n      return name;\n    }', 2),
      def(TS, 'method', 'count', 'get count(): number', '{ return this.n; }', 1),
    ],
  };
  assert.equal(
    renderDetail(chunk, 'collapsed'),
    'class Greeter {\n  private n = 0;\n\n  greet(name: string): string { … }\n\n  get count(): number { … }\n}\n',
  );
  assert.equal(renderDetail(chunk, 'full'), TS);
  assert.equal(
    renderDetail(chunk, 'signature'),
    'class Greeter\n  greet(name: string): string\n    const inner = () =>\n  get count(): number',
  );
});

test('collapsed: Python bodies become ... at the body indentation', () => {
  const py = 'class A:\n    def f(self, x):\n        y = x + 1\n        return y\n\n    def g(self): return 2\n';
  const chunk = {
    language: 'python',
    text: py,
    definitions: [
      def(py, 'class', 'A', 'class A:', py.slice(py.indexOf('def f')).trimEnd()),
      def(py, 'method', 'f', 'def f(self, x):', 'y = x + 1\n        return y', 1),
      def(py, 'method', 'g', 'def g(self):', 'return 2', 1),
    ],
  };
  assert.equal(renderDetail(chunk, 'collapsed'), 'class A:\n    def f(self, x):\n        ...\n\n    def g(self): ...\n');
  assert.equal(renderDetail(chunk, 'signature'), 'class A:\n  def f(self, x):\n  def g(self):');
});

test('bodyMarker: braces, expression bodies and indentation', () => {
  assert.equal(bodyMarker('{ return 1; }', 'braces'), '{ … }');
  assert.equal(bodyMarker('=> x * 2', 'braces'), '=> …');
  assert.equal(bodyMarker('x * 2', 'braces'), '…');
  assert.equal(bodyMarker('return 1', 'indent'), '...');
});

test('signature: multi-line signatures are folded to one line and long ones are cut', () => {
  const text = `function f(\n  a: number,\n  b: string,\n): void {}\nfunction g(${'x'.repeat(300)}) {}\n`;
  const chunk = {
    language: 'typescript',
    text,
    definitions: [
      def(text, 'function', 'f', 'function f(\n  a: number,\n  b: string,\n): void', '{}'),
      def(text, 'function', 'g', `function g(${'x'.repeat(300)})`, '{}'),
    ],
  };
  const [f, g] = renderDetail(chunk, 'signature').split('\n');
  assert.equal(f, 'function f( a: number, b: string, ): void');
  assert.ok(g !== undefined && g.length <= 240 && g.endsWith(' …'));
  assert.equal(renderDetail({ language: 'plaintext', text: 'x', definitions: [] }, 'signature'), '');
  assert.equal(renderDetail({ language: 'plaintext', text: 'x', definitions: [] }, 'collapsed'), 'x');
});
