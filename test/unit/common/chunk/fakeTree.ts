// Builds a SyntaxNodeLike tree from indentation, for tests of the pure chunker without tree-sitter:
// each non-blank line is a node whose children are its first token (a leaf) and the more-indented lines
// below it; a line starting with '//' is a 'comment' leaf. With `bodies`, the more-indented lines are
// wrapped in a 'body' container node reached through the `body` field, as tree-sitter grammars do.
import type { SyntaxNodeLike } from '../../../../src/common/chunk/seaSplit.ts';

interface FakeNode extends SyntaxNodeLike {
  readonly children: FakeNode[];
}

function make(type: string, startIndex: number, endIndex: number, children: FakeNode[], body?: FakeNode): FakeNode {
  return {
    type,
    startIndex,
    endIndex,
    childCount: children.length,
    children,
    childForFieldName: (name: string) => (name === 'body' ? (body ?? null) : null),
  };
}

interface Line {
  readonly start: number;
  readonly end: number;
  readonly indent: number;
  readonly text: string;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    const trimmed = raw.trimStart();
    if (trimmed.trim() !== '') out.push({ start: start + raw.length - trimmed.length, end: start + raw.trimEnd().length, indent: raw.length - trimmed.length, text: trimmed });
    start += raw.length + 1;
  }
  return out;
}

function build(lines: Line[], from: number, indent: number, bodies: boolean): { nodes: FakeNode[]; next: number } {
  const nodes: FakeNode[] = [];
  let i = from;
  while (i < lines.length && (lines[i]?.indent ?? 0) >= indent) {
    const line = lines[i] as Line;
    if (line.text.startsWith('//')) {
      nodes.push(make('comment', line.start, line.end, []));
      i++;
      continue;
    }
    const inner = build(lines, i + 1, line.indent + 1, bodies);
    const last = inner.nodes[inner.nodes.length - 1];
    const end = last?.endIndex ?? line.end;
    const token = make('word', line.start, line.start + (line.text.split(/\s/)[0]?.length ?? 1), []);
    const body = bodies && last !== undefined ? make('body', inner.nodes[0]?.startIndex ?? 0, end, inner.nodes) : undefined;
    const children = body ? [token, body] : [token, ...inner.nodes];
    nodes.push(make(line.text.split(/\s/)[0] ?? 'stmt', line.start, end, children, body));
    i = inner.next;
  }
  return { nodes, next: i };
}

export function fakeTree(text: string, options: { bodies?: boolean } = {}): SyntaxNodeLike {
  const { nodes } = build(splitLines(text), 0, 0, options.bodies ?? false);
  return make('program', 0, text.length, nodes);
}
