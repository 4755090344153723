// A deterministic OpenAI-compatible model server for the real-VS-Code tests and the UI smoke run.
// It looks like Ollama (owned_by "library"), so FIM requests arrive as { prompt, suffix }.
//  - POST /v1/completions: the completion is chosen by the end of the prompt (see RULES), raw text
//    that the extension must shape (cut to one line / one block, no repetition of the suffix).
//  - POST /v1/chat/completions: streams an answer built from the prompt's excerpts (fakeChatAnswer.cjs: cites
//    the best-ranked one and quotes its lines; "hostile" and "deleted" questions get the answers the tests need).
//    A question containing "slowly" streams for about 10 s (for the stop button).
// usage: const s = await startFakeModelServer(); s.url -> 'http://127.0.0.1:PORT/v1'; await s.close()
const http = require('http');
const { chatAnswer } = require('./fakeChatAnswer.cjs');

const MODEL = 'qwen2.5-coder:1.5b-fake';
const RULES = [
  { end: /const total = $/, text: 'add(40, 2); // from squeeze\nconsole.log("not part of this line");\n' },
  { end: /function multiply\(a, b\) \{\n\s*$/, text: 'return a * b;\n}\n\nfunction extra() {\n  return 0;\n}\n' },
  { end: /def cart_total\(items\):\n\s*$/, text: 'return sum(line_total(item) for item in items)\n\n\ndef unused():\n    pass\n' },
  { end: /const answer = $/, text: 'computeAnswer(40, 2);\nconsole.log(answer);\n' },
];

function completionFor(prompt) {
  const rule = RULES.find((r) => r.end.test(prompt));
  return rule ? rule.text : '';
}

function pieces(text, n) {
  const size = Math.max(1, Math.ceil(text.length / n));
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function streamChat(req, res, body) {
  const slow = JSON.stringify(body.messages || []).includes('slowly');
  const answer = slow ? `${'Thinking about it slowly. '.repeat(40)}Done.` : chatAnswer(body.messages || []);
  const parts = pieces(answer, slow ? 40 : 12);
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let closed = false;
  res.on('close', () => (closed = true));
  for (const p of parts) {
    if (closed) return;
    res.write(`data: ${JSON.stringify({ model: MODEL, choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })}\n\n`);
    await new Promise((r) => setTimeout(r, slow ? 250 : 40));
  }
  res.write(`data: ${JSON.stringify({ model: MODEL, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
  res.end('data: [DONE]\n\n');
}

function handle(server, req, res, raw) {
  let body = {};
  try { body = raw ? JSON.parse(raw) : {}; } catch { body = {}; }
  server.requests.push({ method: req.method, path: req.url, body });
  if (req.method === 'GET' && req.url === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: MODEL, object: 'model', owned_by: 'library' }] });
  if (req.method === 'POST' && req.url === '/v1/completions') {
    const text = completionFor(String(body.prompt || ''));
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ model: MODEL, choices: [{ index: 0, text, finish_reason: 'stop' }] })}\n\n`);
      return res.end('data: [DONE]\n\n');
    }
    return json(res, 200, { model: MODEL, choices: [{ index: 0, text, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5 } });
  }
  if (req.method === 'POST' && req.url === '/v1/chat/completions') return void streamChat(req, res, body);
  json(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
}

function startFakeModelServer() {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handle(server, req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.requests = [];
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    resolve({
      url: `http://127.0.0.1:${port}/v1`,
      requests: server.requests,
      close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
    });
  }));
}

module.exports = { startFakeModelServer, MODEL };
