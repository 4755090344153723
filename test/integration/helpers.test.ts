// The pure helpers behind the surfaces (no `vscode` needed): completion shaping, citations, the interim
// context budget, the completion cache, the webview reducer and message validation. They run here, in
// the extension host, because test/unit may not import src/vscode; they take milliseconds. Last, the fake
// model server's chat answer, fed a prompt built the way the chat view builds it.
import assert from 'node:assert/strict';
import { isWebviewMessage } from '../../src/common/protocol/chatProtocol.ts';
import { findCitations, isSafeRelativePath } from '../../src/common/protocol/citations.ts';
import { completionKey, LruCache, TypeAhead } from '../../src/vscode/completion/completionCache.ts';
import { isBlockStart, isMidWord, shapeCompletion, type CursorShape } from '../../src/vscode/completion/completionText.ts';
import { cursorWindow } from '../../src/vscode/context/completionPrompt.ts';
import { buildRepoContext } from '../../src/vscode/context/repoContext.ts';
import type { RetrievedChunk } from '../../src/vscode/services/repoSearch.ts';
import { EMPTY_STATE, reduce } from '../../src/webview/chatStore.ts';
import { buildChatMessages } from '../../src/vscode/context/chatPrompt.ts';
import { chatAnswer, MISSING_CITATION } from '../../e2e/fakeChatAnswer.cjs';

const shape = (linePrefix: string, lineSuffix = '', previousLine = '', nextLines: string[] = []): CursorShape => ({ linePrefix, lineSuffix, previousLine, nextLines });

suite('helpers: completion shaping', () => {
  test('one line unless the cursor opens a block', () => {
    assert.deepEqual(shapeCompletion('add(1, 2);\nfoo();', shape('x = ')), { text: 'add(1, 2);' });
    assert.equal(isBlockStart(shape('def f(x):')), true);
    assert.equal(isBlockStart(shape('    ', '', 'def f(x):')), true);
    assert.equal(isBlockStart(shape('    ', '', 'x = 1')), false);
  });

  test('a block stops at the dedent, keeps a missing closer, drops one the document has', () => {
    const py = shapeCompletion('return a + b\n\n\ndef other():\n    pass\n', shape('    ', '', 'def add(a, b):'));
    assert.deepEqual(py, { text: 'return a + b' });
    const openEnded = shapeCompletion('\n  return 1;\n}\n\nfoo();', shape('function f() {'));
    assert.deepEqual(openEnded, { text: '\n  return 1;\n}' });
    const closed = shapeCompletion('return 1;\n}\n\nfoo();', shape('  ', '', 'function f() {', ['}']));
    assert.deepEqual(closed, { text: 'return 1;' });
  });

  test('the rest of the line is not repeated', () => {
    assert.deepEqual(shapeCompletion('a, b)', shape('foo(', ')')), { text: 'a, b' });
    assert.deepEqual(shapeCompletion(')', shape('foo(', ')')), { reason: 'EMPTY_COMPLETION' });
    assert.deepEqual(shapeCompletion('  \n', shape('x = ')), { reason: 'EMPTY_COMPLETION' });
    assert.equal(isMidWord(shape('ret', 'urn')), true);
  });

  test('the cursor window starts and ends on line boundaries', () => {
    const text = 'line1\nline2\nline3\nline4\n';
    const w = cursorWindow(text, text.indexOf('line3') + 2, 8, 8);
    assert.equal(w.prefix, 'line3'.slice(0, 2));
    assert.equal(w.startLine, 3);
  });
});

suite('helpers: citations', () => {
  test('finds path:line and path:start-end; rejects paths that could leave the workspace', () => {
    const found = findCitations('See `src/a.ts:12` and lib/b.py:3-9, not ../x.ts:1, /etc/passwd:1 or https://h.io/c.ts:4.');
    assert.deepEqual(found.map((c) => [c.path, c.line, c.endLine]), [['src/a.ts', 12, undefined], ['lib/b.py', 3, 9]]);
    assert.equal(isSafeRelativePath('a/../../b.ts'), false);
    assert.equal(isSafeRelativePath('C:/x.ts'), false);
  });
});

suite('helpers: repository context', () => {
  const hit = (path: string, score: number, size: number, signatures: string[] = []): RetrievedChunk => {
    const head = signatures[0] ? `${signatures[0]}\n` : '';
    const text = head + '    x = 1\n'.repeat(Math.ceil((size - head.length) / 10));
    const definitions = signatures[0]
      ? [{ kind: 'function', name: 'b', signature: { start: 0, end: signatures[0].length }, body: { start: head.length, end: text.length } }]
      : [];
    const chunk = { path, language: 'python', span: { start: 0, end: text.length }, startLine: 1, endLine: 10, symbolPath: [], text, definitions, parser: 'tree-sitter' as const };
    return { path, language: 'python', startLine: 1, endLine: 10, text, score, symbolPath: [], signatures, chunk };
  };

  test('fills the budget best first, collapses then drops, and lists everything', () => {
    const { text, report } = buildRepoContext([hit('a.py', 0.9, 300), hit('b.py', 0.8, 300, ['def b(x):']), hit('c.py', 0.7, 300)], {
      surface: 'chat', query: 'q', budgetChars: 420, style: 'markdown',
    });
    assert.deepEqual(report.items.map((i) => [i.path, i.status]), [['a.py', 'included'], ['b.py', 'collapsed'], ['c.py', 'dropped']]);
    assert.ok(report.usedChars <= 420);
    assert.ok(text.indexOf('File b.py') < text.indexOf('File a.py'), 'the best chunk must come last, nearest the question');
  });

  test('drops chunks already in the cursor window', () => {
    const { report } = buildRepoContext([hit('a.py', 0.9, 10)], { surface: 'completion', query: 'q', budgetChars: 1000, style: 'comment', exclude: { path: 'a.py', startLine: 5, endLine: 20 } });
    assert.equal(report.items[0]?.status, 'dropped');
  });
});

suite('helpers: completion cache', () => {
  test('LRU evicts the least recently used key', () => {
    const lru = new LruCache<string, string>(2);
    lru.set('a', '1');
    lru.set('b', '2');
    lru.get('a');
    lru.set('c', '3');
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.get('a'), '1');
    assert.notEqual(completionKey('p', 's', 'm1'), completionKey('p', 's', 'm2'));
  });

  test('type-ahead serves the rest of a shown completion', () => {
    const t = new TypeAhead();
    t.remember('x = ', '', 'add(1, 2)');
    assert.equal(t.match('x = add', ''), '(1, 2)');
    assert.equal(t.match('x = sub', ''), undefined);
  });
});

suite('helpers: chat view state and protocol', () => {
  test('the reducer streams a turn', () => {
    let s = EMPTY_STATE;
    s = reduce(s, { type: 'turnStarted', turn: { id: 't', question: 'q', answer: '', status: 'streaming', citations: [] } }).state;
    s = reduce(s, { type: 'turnDelta', id: 't', text: 'Hel', done: false }).state;
    s = reduce(s, { type: 'turnDelta', id: 't', text: 'lo', done: false }).state;
    s = reduce(s, { type: 'turnEnded', id: 't', status: 'done', citations: [{ path: 'a.py', line: 1 }], done: true }).state;
    assert.equal(s.turns[0]?.answer, 'Hello');
    assert.equal(s.turns[0]?.status, 'done');
    assert.equal(s.busy, false);
  });

  test('the host rejects malformed webview messages', () => {
    assert.equal(isWebviewMessage({ type: 'ask', text: 'hi' }), true);
    assert.equal(isWebviewMessage({ type: 'ask', text: 42 }), false);
    assert.equal(isWebviewMessage({ type: 'openCitation', citation: { path: 'a.py' } }), false);
    assert.equal(isWebviewMessage({ type: 'eval', code: 'x' }), false);
    assert.equal(isWebviewMessage('ready'), false);
  });
});

suite('helpers: the fake model server answers from the prompt', () => {
  // two blank lines between definitions, which context thinning folds to one: line numbers must survive that
  const CART = 'from mathutil import add\n\n\ndef line_total(item):\n    return item.price * item.quantity\n\n\ndef cart_total(items):\n    return sum(line_total(item) for item in items)\n';
  const MATH = '"""Arithmetic helpers."""\n\ndef add(a, b):\n    return a + b\n';
  const hit = (path: string, text: string, score: number): RetrievedChunk => ({
    path, language: 'python', startLine: 1, endLine: text.split('\n').length - 1, text, score, symbolPath: [], signatures: [],
  });
  const ask = (question: string): string => {
    const { text } = buildRepoContext([hit('src/cart.py', CART, 0.9), hit('src/mathutil.py', MATH, 0.5)], { surface: 'chat', query: question, budgetChars: 4000, style: 'markdown' });
    return chatAnswer(buildChatMessages([], text, question));
  };

  test('cites the best excerpt, quotes its lines in a block of its language, and cites the second one', () => {
    const answer = ask('How is the cart total computed?');
    assert.match(answer, /`cart_total` in `src\/cart\.py:8`/);
    const block = /```python\n([\s\S]*?)\n```/.exec(answer)?.[1];
    assert.equal(block, 'def cart_total(items):\n    return sum(line_total(item) for item in items)');
    assert.match(answer, /uses `add`, defined in `src\/mathutil\.py:3`/);
    assert.deepEqual(findCitations(answer).map((c) => `${c.path}:${c.line}`), ['src/cart.py:8', 'src/mathutil.py:3']);
  });

  test('the quoted lines follow the question, and only a question about deleted code cites a missing file', () => {
    assert.match(ask('Where is line_total?'), /```python\ndef line_total\(item\):\n    return item\.price \* item\.quantity\n```/);
    assert.ok(!ask('Where is line_total?').includes(MISSING_CITATION));
    assert.ok(ask('Where did the deleted helper go?').includes(MISSING_CITATION));
    assert.equal(chatAnswer(buildChatMessages([], '', 'Where is add?')), 'I could not find this in the repository excerpts.');
  });
});
