// Checks model folders built by buildTestModels.py with the runtime the extension uses (onnxruntime-node +
// @huggingface/tokenizers): tokenizer round trip and special tokens, every onnx/*.onnx file loads, and for
// decoders that 1 prefill + single-token steps reproduce the full-forward logits at a second sequence length.
// usage: node scripts/models/verifyModels.mjs DIR...   (default: test/models/tiny-decoder test/models/tiny-encoder)
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';

const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['test/models/tiny-decoder', 'test/models/tiny-encoder'];
const readJson = (dir, f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
const i64 = (a, dims) => new ort.Tensor('int64', BigInt64Array.from(a, BigInt), dims);
let failed = false;
const check = (ok, what) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failed = true;
};

function checkTokenizer(dir) {
  const tok = new Tokenizer(readJson(dir, 'tokenizer.json'), readJson(dir, 'tokenizer_config.json'));
  const text = 'def add(a, b):\n    return a + b  # ünïcode\n';
  const ids = tok.encode(text, { add_special_tokens: false }).ids;
  const back = tok.decode(ids);
  // BERT-style tokenizers lower-case and strip accents; byte-level BPE must be exact
  const loose = (s) => s.normalize('NFD').replace(/\p{M}|\s/gu, '').toLowerCase();
  check(back === text || (tok.token_to_id('[CLS]') !== undefined && loose(back) === loose(text)),
    `tokenizer round trip (${ids.length} tokens): ${JSON.stringify(back).slice(0, 60)}`);
  for (const s of ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|endoftext|>', '[CLS]', '[SEP]']) {
    const id = tok.token_to_id(s);
    if (id !== undefined) check(tok.encode(`a${s}b`, { add_special_tokens: false }).ids.includes(id), `${s} = ${id} encodes as one token`);
  }
}

async function checkDecoder(file, exact) {
  const sess = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const past = sess.inputNames.filter((n) => n.startsWith('past_key_values.'));
  const meta = sess.inputMetadata.find((m) => m.name === past[0]);
  const [kvHeads, headDim] = [meta.shape[1], meta.shape[3]];
  const empty = () => Object.fromEntries(past.map((n) => [n, new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim])]));
  const run = async (ids, start, kv) => {
    const out = await sess.run({ input_ids: i64(ids, [1, ids.length]), attention_mask: i64(Array(start + ids.length).fill(1), [1, start + ids.length]),
      position_ids: i64(ids.map((_, i) => start + i), [1, ids.length]), ...kv });
    const v = out.logits.dims[2];
    return { last: out.logits.data.slice((ids.length - 1) * v), kv: Object.fromEntries(past.map((n) => [n, out[n.replace('past_key_values.', 'present.')]])) };
  };
  const ids = Array.from({ length: 41 }, (_, i) => (i * 37 + 11) % 500);
  const full = await run(ids, 0, empty());
  let st = await run(ids.slice(0, 30), 0, empty());
  for (let i = 30; i < ids.length; i++) st = await run([ids[i]], i, st.kv);
  let d = 0;
  for (let i = 0; i < full.last.length; i++) d = Math.max(d, Math.abs(full.last[i] - st.last[i]));
  check(exact ? d <= 1e-4 : Number.isFinite(d), `${path.basename(file)}: KV-cache steps vs full forward max|dlogit| = ${d.toExponential(2)}`);
  await sess.release();
}

async function checkEncoder(file) {
  const sess = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const n = 9;
  const feeds = { input_ids: i64(Array(n).fill(7), [1, n]), attention_mask: i64(Array(n).fill(1), [1, n]) };
  if (sess.inputNames.includes('token_type_ids')) feeds.token_type_ids = i64(Array(n).fill(0), [1, n]);
  const out = await sess.run(feeds);
  check(out.last_hidden_state?.dims.length === 3, `${path.basename(file)}: last_hidden_state ${out.last_hidden_state?.dims}`);
  await sess.release();
}

for (const dir of dirs) {
  console.log(dir);
  const config = readJson(dir, 'config.json');
  checkTokenizer(dir);
  for (const f of fs.readdirSync(path.join(dir, 'onnx')).filter((x) => x.endsWith('.onnx')).sort()) {
    const file = path.join(dir, 'onnx', f);
    if (config.model_type === 'bert') await checkEncoder(file);
    else await checkDecoder(file, f === 'model.onnx');
  }
}
process.exit(failed ? 1 : 0);
