/**
 * Source text of one generated module in one of nine languages, for the context benchmark's workspace
 * (contextWorkspace.ts). A module is imports, then classes with methods and free functions, until it reaches
 * its target line count; bodies are assignments, calls into imported modules, conditionals, loops and returns
 * over a shared domain vocabulary, so retrieval finds related code across files as in a real repository.
 */
import type { Rng } from '../../../src/common/random.ts';

export type CodeLanguage = 'typescript' | 'javascript' | 'python' | 'go' | 'java' | 'rust' | 'cpp' | 'csharp' | 'c';

export const WORDS = [
  'user', 'order', 'invoice', 'cache', 'session', 'token', 'config', 'request', 'response', 'buffer', 'index', 'chunk',
  'query', 'parser', 'render', 'stream', 'event', 'handler', 'metric', 'account', 'payment', 'ledger', 'report', 'queue',
  'worker', 'task', 'schedule', 'retry', 'limit', 'window', 'column', 'row', 'table', 'schema', 'record', 'field',
  'vector', 'matrix', 'graph', 'node', 'edge', 'path', 'route', 'client', 'server', 'socket', 'packet', 'frame',
  'image', 'pixel', 'color', 'layout', 'widget', 'button', 'dialog', 'theme', 'locale', 'message', 'channel', 'topic',
  'price', 'product', 'cart', 'stock', 'supplier', 'shipment', 'address', 'customer', 'profile', 'avatar', 'audit', 'policy',
];
const VERBS = ['get', 'set', 'load', 'save', 'build', 'parse', 'format', 'merge', 'split', 'compute', 'validate', 'apply', 'find', 'update', 'remove', 'create'];

export interface ModuleSpec {
  readonly language: CodeLanguage;
  /** A domain word the module is about; most identifiers use it. */
  readonly topic: string;
  /** Names of other modules it imports (same language). */
  readonly imports: readonly string[];
  readonly targetLines: number;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
const snakeCase = (ws: readonly string[]): string => ws.join('_');
const camelCase = (ws: readonly string[]): string => ws[0] + ws.slice(1).map(cap).join('');

interface Style {
  readonly comment: string;
  readonly snake: boolean;
  readonly indent: string;
  readonly importLine: (module: string, name: string) => string;
  readonly open: (kind: 'class' | 'fn' | 'method', name: string, params: readonly string[]) => string[];
  readonly close: (kind: 'class' | 'fn' | 'method') => string[];
  readonly assign: (v: string, e: string) => string;
  readonly ifOpen: (c: string) => string;
  readonly loopOpen: (v: string, coll: string) => string;
  readonly blockClose: string | undefined;
  readonly ret: (e: string) => string;
  readonly self: string;
  /** Methods sit inside the class block (false: Go and C declare a struct, then top-level functions). */
  readonly nested: boolean;
}

type BraceStyle = Omit<Style, 'blockClose' | 'close' | 'indent' | 'nested'> & Partial<Pick<Style, 'close' | 'indent' | 'nested'>>;
const braces = (o: BraceStyle): Style => ({ blockClose: '}', indent: '    ', close: () => ['}'], nested: true, ...o });

const STYLES: Record<CodeLanguage, Style> = {
  typescript: braces({
    comment: '//', snake: false, indent: '  ', self: 'this.',
    importLine: (m, n) => `import { ${n} } from './${m}';`,
    open: (k, n, p) => (k === 'class' ? [`export class ${cap(n)} {`] : k === 'fn' ? [`export function ${n}(${p.map((x) => `${x}: number`).join(', ')}): number {`] : [`${n}(${p.map((x) => `${x}: number`).join(', ')}): number {`]),
    assign: (v, e) => `const ${v} = ${e};`, ifOpen: (c) => `if (${c}) {`, loopOpen: (v, c) => `for (const ${v} of ${c}) {`, ret: (e) => `return ${e};`,
  }),
  javascript: braces({
    comment: '//', snake: false, indent: '  ', self: 'this.',
    importLine: (m, n) => `import { ${n} } from './${m}.js';`,
    open: (k, n, p) => (k === 'class' ? [`export class ${cap(n)} {`] : k === 'fn' ? [`export function ${n}(${p.join(', ')}) {`] : [`${n}(${p.join(', ')}) {`]),
    assign: (v, e) => `const ${v} = ${e};`, ifOpen: (c) => `if (${c}) {`, loopOpen: (v, c) => `for (const ${v} of ${c}) {`, ret: (e) => `return ${e};`,
  }),
  python: {
    comment: '#', snake: true, indent: '    ', self: 'self.', blockClose: undefined, nested: true,
    importLine: (m, n) => `from .${m} import ${n}`,
    open: (k, n, p) => (k === 'class' ? [`class ${cap(n)}:`] : k === 'fn' ? [`def ${n}(${p.join(', ')}):`] : [`def ${n}(self, ${p.join(', ')}):`]),
    close: () => [''],
    assign: (v, e) => `${v} = ${e}`, ifOpen: (c) => `if ${c}:`, loopOpen: (v, c) => `for ${v} in ${c}:`, ret: (e) => `return ${e}`,
  },
  go: braces({
    comment: '//', snake: false, indent: '\t', self: 's.', nested: false,
    importLine: (m) => `import "example.com/app/${m}"`,
    open: (k, n, p) => (k === 'class' ? [`type ${cap(n)} struct {`, '\tcount int', '}', ''] : k === 'fn' ? [`func ${cap(n)}(${p.join(', ')} int) int {`] : [`func (s *Service) ${cap(n)}(${p.join(', ')} int) int {`]),
    close: (k) => (k === 'class' ? [] : ['}']),
    assign: (v, e) => `${v} := ${e}`, ifOpen: (c) => `if ${c} {`, loopOpen: (v, c) => `for _, ${v} := range ${c} {`, ret: (e) => `return ${e}`,
  }),
  java: braces({
    comment: '//', snake: false, self: 'this.',
    importLine: (m, n) => `import com.example.app.${m}.${cap(n)};`,
    open: (k, n, p) => (k === 'class' ? [`public class ${cap(n)} {`] : [`${k === 'fn' ? 'public static' : 'public'} int ${n}(${p.map((x) => `int ${x}`).join(', ')}) {`]),
    assign: (v, e) => `int ${v} = ${e};`, ifOpen: (c) => `if (${c}) {`, loopOpen: (v, c) => `for (int ${v} : ${c}) {`, ret: (e) => `return ${e};`,
  }),
  csharp: braces({
    comment: '//', snake: false, self: 'this.',
    importLine: (m) => `using Example.App.${cap(m)};`,
    open: (k, n, p) => (k === 'class' ? [`public class ${cap(n)}`, '{'] : [`public ${k === 'fn' ? 'static ' : ''}int ${cap(n)}(${p.map((x) => `int ${x}`).join(', ')})`, '{']),
    assign: (v, e) => `var ${v} = ${e};`, ifOpen: (c) => `if (${c}) {`, loopOpen: (v, c) => `foreach (var ${v} in ${c}) {`, ret: (e) => `return ${e};`,
  }),
  rust: braces({
    comment: '//', snake: true, self: 'self.',
    importLine: (m, n) => `use crate::${m}::${n};`,
    open: (k, n, p) => (k === 'class' ? [`impl ${cap(n)} {`] : [`pub fn ${n}(${k === 'method' ? '&self, ' : ''}${p.map((x) => `${x}: i64`).join(', ')}) -> i64 {`]),
    assign: (v, e) => `let ${v} = ${e};`, ifOpen: (c) => `if ${c} {`, loopOpen: (v, c) => `for ${v} in ${c}.iter() {`, ret: (e) => `return ${e};`,
  }),
  cpp: braces({
    comment: '//', snake: true, self: 'this->',
    importLine: (m) => `#include "${m}.hpp"`,
    open: (k, n, p) => (k === 'class' ? [`class ${cap(n)} {`, ' public:'] : [`int ${n}(${p.map((x) => `int ${x}`).join(', ')}) {`]),
    close: (k) => (k === 'class' ? ['};'] : ['}']),
    assign: (v, e) => `auto ${v} = ${e};`, ifOpen: (c) => `if (${c}) {`, loopOpen: (v, c) => `for (const auto& ${v} : ${c}) {`, ret: (e) => `return ${e};`,
  }),
  c: braces({
    comment: '//', snake: true, self: 'ctx->', nested: false,
    importLine: (m) => `#include "${m}.h"`,
    open: (k, n, p) => (k === 'class' ? [`struct ${n} {`, '    int count;', '};', ''] : [`int ${n}(${p.map((x) => `int ${x}`).join(', ')}) {`]),
    close: (k) => (k === 'class' ? [] : ['}']),
    assign: (v, e) => `int ${v} = ${e};`, ifOpen: (c) => `if (${c}) {`, loopOpen: (v, c) => `for (int ${v} = 0; ${v} < ${c}_len; ${v}++) {`, ret: (e) => `return ${e};`,
  }),
};

interface Ctx {
  readonly rng: Rng;
  readonly style: Style;
  readonly spec: ModuleSpec;
  readonly calls: string[];
}

function ident(c: Ctx, parts: readonly string[]): string {
  return c.style.snake ? snakeCase(parts) : camelCase(parts);
}

function expr(c: Ctx, vars: readonly string[]): string {
  const v = (): string => pick(c.rng, vars);
  const r = c.rng();
  if (r < 0.35 && c.calls.length > 0) return `${pick(c.rng, c.calls)}(${v()}, ${v()})`;
  if (r < 0.6) return `${v()} * ${2 + Math.floor(c.rng() * 7)} + ${v()}`;
  if (r < 0.8) return `${c.style.self}${ident(c, [pick(c.rng, WORDS), 'count'])} + ${v()}`;
  return `${v()} - ${Math.floor(c.rng() * 100)}`;
}

/** A body of `n` statement lines (at least), with nested blocks; `depth` is the indentation level. */
function body(c: Ctx, vars: string[], n: number, depth: number): string[] {
  const { style, rng } = c;
  const pad = style.indent.repeat(depth);
  const out: string[] = [];
  while (out.length < n) {
    const r = rng();
    if (r < 0.15 && depth < 4) {
      out.push(pad + style.ifOpen(`${pick(rng, vars)} > ${Math.floor(rng() * 50)}`), ...body(c, vars, 2, depth + 1));
      if (style.blockClose) out.push(pad + style.blockClose);
    } else if (r < 0.25 && depth < 4) {
      const item = ident(c, [pick(rng, WORDS), 'item']);
      out.push(pad + style.loopOpen(item, ident(c, [c.spec.topic, 'items'])), ...body(c, [...vars, item], 2, depth + 1));
      if (style.blockClose) out.push(pad + style.blockClose);
    } else if (r < 0.32) out.push(`${pad}${style.comment} ${pick(rng, VERBS)} the ${pick(rng, WORDS)} ${pick(rng, WORDS)} before the ${c.spec.topic} is used`);
    else {
      const v = ident(c, [pick(rng, WORDS), pick(rng, ['total', 'value', 'size', 'offset', 'score'])]);
      out.push(pad + style.assign(v, expr(c, vars)));
      vars.push(v);
    }
  }
  out.push(pad + style.ret(pick(rng, vars)));
  return out;
}

function callable(c: Ctx, kind: 'fn' | 'method', depth: number): { name: string; lines: string[] } {
  const { rng, style } = c;
  const name = ident(c, [pick(rng, VERBS), c.spec.topic, pick(rng, WORDS)]);
  const params = [ident(c, [c.spec.topic, 'id']), ident(c, [pick(rng, WORDS), 'count'])];
  const pad = style.indent.repeat(depth);
  const doc = `${pad}${style.comment} ${cap(name)}: ${pick(rng, VERBS)}s the ${c.spec.topic} ${pick(rng, WORDS)} for the given ${params[1]}.`;
  const lines = [doc, ...style.open(kind, name, params).map((l) => pad + l), ...body(c, [...params], 3 + Math.floor(rng() * 14), depth + 1), ...style.close(kind).map((l) => pad + l), ''];
  return { name, lines };
}

function classBlock(c: Ctx, budget: number): string[] {
  const name = ident(c, [c.spec.topic, pick(c.rng, WORDS), 'service']);
  const lines = [...c.style.open('class', name, [])];
  const first = lines.length;
  while (lines.length === first || lines.length < budget) lines.push(...callable(c, 'method', c.style.nested ? 1 : 0).lines);
  lines.push(...c.style.close('class'), '');
  return lines;
}

/** The module's text: imports, then classes and functions until `targetLines`. */
export function renderModule(spec: ModuleSpec, rng: Rng): string {
  const style = STYLES[spec.language];
  const c: Ctx = { rng, style, spec, calls: [] };
  const lines = [`${style.comment} ${spec.topic} module: generated for the context benchmark`, ''];
  for (const m of spec.imports) {
    const name = ident(c, [pick(rng, VERBS), m.replace(/[^a-z]/gi, '').slice(0, 12) || 'base']);
    lines.push(style.importLine(m, name));
    c.calls.push(name);
  }
  lines.push('');
  while (lines.length < spec.targetLines) {
    if (rng() < 0.3) lines.push(...classBlock(c, Math.min(spec.targetLines - lines.length, 120)));
    else {
      const f = callable(c, 'fn', 0);
      lines.push(...f.lines);
      c.calls.push(f.name);
    }
  }
  return `${lines.join('\n')}\n`;
}
