import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HashedEncoder, hashedEncoderId } from '../../../../src/common/encode/hashedEncoder.ts';
import { DfCounter, emptyIdfTable, idfWeights, isIdfTable } from '../../../../src/common/encode/idfTable.ts';
import { CancellationTokenSource } from '../../../../src/common/cancellation.ts';

const dotp = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);
const norm = (a: Float32Array) => Math.sqrt(dotp(a, a));

const CORPUS = [
  'function computeOrderTotal(order: Order): number { return order.items.reduce((s, i) => s + i.price * i.quantity, 0); }',
  'def reserve_stock(inventory, book_id, quantity):\n    inventory[book_id] -= quantity',
  'func (h *PaymentHandler) ChargeCard(card Card, amount Money) error { return h.gateway.Charge(card, amount) }',
  'class TaskQueue { enqueue(task: Task) { this.pending.push(task); } dequeue(): Task | undefined { return this.pending.shift(); } }',
  'export function formatPrice(cents: number): string { return `$${(cents / 100).toFixed(2)}`; }',
];

test('the id names the version and the dimension', () => {
  assert.equal(new HashedEncoder({ dim: 512 }).id, 'hashed-v1-d512');
  assert.equal(new HashedEncoder().id, hashedEncoderId(1024));
});

test('encode is deterministic and L2-normalised; empty text gives a zero vector', async () => {
  const enc = new HashedEncoder();
  const [a, b, empty] = await enc.encode([CORPUS[0]!, CORPUS[0]!, '  ;; {} ']);
  assert.deepEqual(a, b);
  assert.ok(Math.abs(norm(a!) - 1) < 1e-5);
  assert.equal(a!.length, 1024);
  assert.ok(empty!.every((v) => v === 0));
  const again = await new HashedEncoder().encode([CORPUS[0]!]);
  assert.deepEqual(again[0], a);
});

test('a query is closer to the code it describes than to unrelated code', async () => {
  const base = new HashedEncoder();
  const enc = base.withIdf(base.fitIdf(CORPUS));
  const docs = await enc.encode(CORPUS);
  const queries: [string, number][] = [['order total price', 0], ['reserve stock in the inventory', 1], ['charge a card payment', 2], ['enqueue a task', 3]];
  for (const [q, expected] of queries) {
    const [qv] = await enc.encode([q]);
    const scores = docs.map((d) => dotp(qv!, d));
    const best = scores.indexOf(Math.max(...scores));
    assert.equal(best, expected, `${q}: ${scores.map((s) => s.toFixed(3)).join(' ')}`);
  }
});

test('similar code is closer than different code', async () => {
  const enc = new HashedEncoder();
  const [a, b, c] = await enc.encode([
    'function addBookToCart(cart, book) { cart.books.push(book); cart.total += book.price; }',
    'function addItemToCart(cart, item) { cart.items.push(item); cart.total += item.price; }',
    'func parseConfig(path string) (*Config, error) { data, err := os.ReadFile(path) }',
  ]);
  assert.ok(dotp(a!, b!) > dotp(a!, c!) + 0.2);
});

test('IDF lowers the weight of tokens every document has', () => {
  const base = new HashedEncoder({ dim: 64 });
  const idf = base.fitIdf(['shared alpha', 'shared beta', 'shared gamma']);
  assert.equal(idf.docCount, 3);
  const w = idfWeights(idf);
  const shared = base.termVector('shared').findIndex((v) => v !== 0);
  const alpha = base.termVector('alpha').findIndex((v) => v !== 0);
  assert.ok(w[shared]! < w[alpha]!);
  assert.ok(w.every((v) => v >= 1));
});

test('weightRows(termVector) equals encode, so stored term rows can be re-weighted later', async () => {
  const base = new HashedEncoder();
  const enc = base.withIdf(base.fitIdf(CORPUS));
  const rows = base.termMatrix(CORPUS);
  enc.weightRows(rows);
  const direct = await enc.encode(CORPUS);
  direct.forEach((v, i) => v.forEach((x, j) => assert.ok(Math.abs(x - rows[i * 1024 + j]!) < 1e-6)));
});

test('DfCounter adds and removes rows exactly and validates as a table', () => {
  const enc = new HashedEncoder({ dim: 128 });
  const full = enc.fitIdf(CORPUS);
  const counter = new DfCounter(128, enc.fitIdf(CORPUS.slice(0, 3)));
  counter.update(enc.termMatrix(CORPUS.slice(3)), 1);
  assert.deepEqual(counter.toTable(), full);
  counter.update(enc.termMatrix(CORPUS.slice(3)), -1);
  assert.deepEqual(counter.toTable(), enc.fitIdf(CORPUS.slice(0, 3)));
  assert.ok(isIdfTable(JSON.parse(JSON.stringify(full)), 128));
  assert.ok(!isIdfTable({ ...full, df: full.df.slice(1) }, 128));
  assert.ok(!isIdfTable(emptyIdfTable(64), 128));
});

test('an IDF table of another dimension is refused, and encoding honours cancellation', async () => {
  assert.throws(() => new HashedEncoder({ dim: 256, idf: emptyIdfTable(128) }), /dimension/);
  const cts = new CancellationTokenSource();
  cts.cancel();
  await assert.rejects(new HashedEncoder().encode(['a b c'], cts.token), { name: 'CancellationError' });
});
