#!/usr/bin/env python3
"""Builds random-weight ONNX model folders in the usual export layout, deterministically (seeded).

    python3 scripts/models/buildTestModels.py            # tiny-decoder, tiny-encoder(-no-types) -> test/models/ (committed)
    python3 scripts/models/buildTestModels.py bench      # SmolLM2-135M, Qwen2.5-Coder-0.5B, all-MiniLM-L6-v2 shapes, q8 -> .models/
    python3 scripts/models/buildTestModels.py bench-encoder   # only the all-MiniLM-L6-v2 shape (bench:encoder)
    python3 scripts/models/buildTestModels.py NAME...    # any names from SPECS

Needs Debian's python3-torch and python3-onnx (`apt-get install -y python3-torch python3-onnx`); run it with
/usr/bin/python3. Each folder gets config.json, generation_config.json, tokenizer.json, tokenizer_config.json,
onnx/model.onnx (fp32) and onnx/model_quantized.onnx (dynamic int8). Decoder I/O is the Optimum contract:
input_ids, attention_mask, position_ids, past_key_values.N.key/value -> logits, present.N.key/value.
The weights are random: these models only have the *shape* of the real ones. Check a folder with
`node scripts/models/verifyModels.mjs DIR`.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import zlib

sys.dont_write_bytecode = True  # keep scripts/models free of __pycache__

import torch  # noqa: E402

import nets  # noqa: E402
import quantize  # noqa: E402
import tokgen  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))

QWEN_SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|object_ref_start|>', '<|object_ref_end|>',
                 '<|box_start|>', '<|box_end|>', '<|quad_start|>', '<|quad_end|>', '<|vision_start|>', '<|vision_end|>',
                 '<|vision_pad|>', '<|image_pad|>', '<|video_pad|>', '<tool_call>', '</tool_call>', '<|fim_prefix|>',
                 '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>', '<|repo_name|>', '<|file_sep|>']
SMOLLM_SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<repo_name>', '<reponame>', '<file_sep>', '<filename>',
                   '<gh_stars>', '<issue_start>', '<issue_comment>', '<issue_closed>', '<jupyter_start>', '<jupyter_text>',
                   '<jupyter_code>', '<jupyter_output>', '<jupyter_script>', '<empty_output>']

QWEN2 = dict(kind='decoder', model_type='qwen2', arch='Qwen2ForCausalLM', qkv_bias=True, eps=1e-6, tie=True,
             specials=QWEN_SPECIALS, specials_first=False, eos='<|endoftext|>')
SPECS = {
    # 2 layers, GQA 4:2, vocab 768 = 746 BPE tokens + 22 Qwen specials (FIM included). A separate lm_head (a tied
    # random one mostly repeats the input token) with a large std, so random logits are peaked and greedy decoding
    # wanders, then falls into loops of a few tokens (prompt lookup then has work to do).
    'tiny-decoder': dict(QWEN2, tie=False, vocab=768, tokenizer_vocab=768, hidden=64, layers=2, heads=4, kv_heads=2, head_dim=16,
                         inter=128, theta=10000.0, max_positions=4096, embed_std=0.25, dest='test'),
    'tiny-encoder': dict(kind='encoder', vocab=512, hidden=32, layers=2, heads=2, inter=64, max_positions=512,
                         dest='test'),
    # The same shape without a token_type_ids input (as DistilBERT-style exports have): the encoder must feed
    # token types only when the graph lists them.
    'tiny-encoder-no-types': dict(kind='encoder', vocab=512, hidden=32, layers=2, heads=2, inter=64, max_positions=512,
                                  token_types=False, dest='test'),
    # all-MiniLM-L6-v2 shape (22.7M parameters) for bench:encoder; the tokenizer is the generated WordPiece.
    'minilm-l6-shape': dict(kind='encoder', vocab=30522, hidden=384, layers=6, heads=12, inter=1536, max_positions=512,
                            dest='bench'),
    'smollm2-135m-shape': dict(kind='decoder', model_type='llama', arch='LlamaForCausalLM', qkv_bias=False, eps=1e-5,
                               tie=True, specials=SMOLLM_SPECIALS, specials_first=True, eos='<|endoftext|>', vocab=49152,
                               tokenizer_vocab=49152, hidden=576, layers=30, heads=9, kv_heads=3, head_dim=64, inter=1536,
                               theta=100000.0, max_positions=8192, embed_std=0.02, dest='bench', head_dim_in_config=True),
    'qwen2.5-coder-0.5b-shape': dict(QWEN2, vocab=151936, tokenizer_vocab=151665, hidden=896, layers=24, heads=14,
                                     kv_heads=2, head_dim=64, inter=4864, theta=1000000.0, max_positions=32768,
                                     embed_std=0.02, dest='bench'),
}
GROUPS = {'tiny': ['tiny-decoder', 'tiny-encoder', 'tiny-encoder-no-types'],
          'bench': ['smollm2-135m-shape', 'qwen2.5-coder-0.5b-shape', 'minilm-l6-shape'],
          'bench-encoder': ['minilm-l6-shape']}


def write_json(path, value):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write('\n')


def decoder_config(spec, special_ids):
    eos = special_ids[spec['eos']]
    cfg = {'architectures': [spec['arch']], 'model_type': spec['model_type'], 'vocab_size': spec['vocab'],
           'hidden_size': spec['hidden'], 'intermediate_size': spec['inter'], 'num_hidden_layers': spec['layers'],
           'num_attention_heads': spec['heads'], 'num_key_value_heads': spec['kv_heads'], 'hidden_act': 'silu',
           'max_position_embeddings': spec['max_positions'], 'rms_norm_eps': spec['eps'], 'rope_theta': spec['theta'],
           'rope_scaling': None, 'tie_word_embeddings': spec['tie'], 'use_cache': True, 'torch_dtype': 'float32',
           'bos_token_id': eos, 'eos_token_id': eos, '_note': 'RANDOM WEIGHTS: same shape as the real model only'}
    if spec.get('head_dim_in_config'):
        cfg['head_dim'] = spec['head_dim']
    return cfg


def decoder_export_io(spec):
    """Dummy inputs, input and output names and dynamic axes of a decoder export (the KV-cache I/O contract)."""
    batch, seq, past_len = 1, 3, 2
    ids = torch.randint(0, spec['vocab'], (batch, seq))
    mask = torch.ones(batch, past_len + seq, dtype=torch.long)
    pos = torch.arange(past_len, past_len + seq).unsqueeze(0)
    names_in, names_out = ['input_ids', 'attention_mask', 'position_ids'], ['logits']
    axes = {'input_ids': {0: 'batch_size', 1: 'sequence_length'},
            'attention_mask': {0: 'batch_size', 1: 'total_sequence_length'},
            'position_ids': {0: 'batch_size', 1: 'sequence_length'}, 'logits': {0: 'batch_size', 1: 'sequence_length'}}
    past = []
    for i in range(spec['layers']):
        for kv in ('key', 'value'):
            past.append(torch.randn(batch, spec['kv_heads'], past_len, spec['head_dim']))
            names_in.append(f'past_key_values.{i}.{kv}')
            axes[names_in[-1]] = {0: 'batch_size', 2: 'past_sequence_length'}
            names_out.append(f'present.{i}.{kv}')
            axes[names_out[-1]] = {0: 'batch_size', 2: 'total_sequence_length'}
    return (ids, mask, pos, *past), names_in, names_out, axes


def export_decoder(spec, onnx_path):
    model = nets.Decoder(spec).eval()
    args, names_in, names_out, axes = decoder_export_io(spec)
    with torch.no_grad():
        torch.onnx.export(model, args, onnx_path, input_names=names_in, output_names=names_out,
                          dynamic_axes=axes, opset_version=14, do_constant_folding=True)


def export_encoder(spec, onnx_path):
    model = nets.Bert(spec).eval()
    ids = torch.randint(0, spec['vocab'], (2, 7))
    mask, types = torch.ones(2, 7, dtype=torch.long), torch.zeros(2, 7, dtype=torch.long)
    names = ['input_ids', 'attention_mask', 'token_type_ids']
    axes = {n: {0: 'batch_size', 1: 'sequence_length'} for n in names + ['last_hidden_state']}
    with torch.no_grad():
        torch.onnx.export(model, (ids, mask, types), onnx_path, input_names=names, output_names=['last_hidden_state'],
                          dynamic_axes=axes, opset_version=14, do_constant_folding=True)


class _BertWithoutTypes(torch.nn.Module):
    """A BERT whose graph takes only input_ids and attention_mask (token type 0 everywhere)."""

    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask):
        return self.bert(input_ids, attention_mask, torch.zeros_like(input_ids))


def export_encoder_without_types(spec, onnx_path):
    model = _BertWithoutTypes(nets.Bert(spec)).eval()
    ids = torch.randint(0, spec['vocab'], (2, 7))
    mask = torch.ones(2, 7, dtype=torch.long)
    names = ['input_ids', 'attention_mask']
    axes = {n: {0: 'batch_size', 1: 'sequence_length'} for n in names + ['last_hidden_state']}
    with torch.no_grad():
        torch.onnx.export(model, (ids, mask), onnx_path, input_names=names, output_names=['last_hidden_state'],
                          dynamic_axes=axes, opset_version=14, do_constant_folding=True)


def exporter_for(spec):
    if spec['kind'] == 'decoder':
        return export_decoder
    return export_encoder if spec.get('token_types', True) else export_encoder_without_types


def write_decoder_files(spec, folder):
    tok, special_ids = tokgen.byte_bpe(spec['tokenizer_vocab'], spec['specials'], spec['specials_first'])
    eos_id = special_ids[spec['eos']]
    write_json(os.path.join(folder, 'tokenizer.json'), tok)
    write_json(os.path.join(folder, 'tokenizer_config.json'),
               tokgen.bpe_tokenizer_config(special_ids, spec['eos'], spec['max_positions']))
    write_json(os.path.join(folder, 'config.json'), decoder_config(spec, special_ids))
    write_json(os.path.join(folder, 'generation_config.json'),
               {'bos_token_id': eos_id, 'eos_token_id': [eos_id], 'do_sample': False, 'max_new_tokens': 256})


def write_encoder_files(spec, folder):
    tok, tok_config = tokgen.word_piece(spec['vocab'])
    write_json(os.path.join(folder, 'tokenizer.json'), tok)
    write_json(os.path.join(folder, 'tokenizer_config.json'), tok_config)
    write_json(os.path.join(folder, 'config.json'), {
        'architectures': ['BertModel'], 'model_type': 'bert', 'vocab_size': spec['vocab'], 'hidden_size': spec['hidden'],
        'num_hidden_layers': spec['layers'], 'num_attention_heads': spec['heads'], 'intermediate_size': spec['inter'],
        'max_position_embeddings': spec['max_positions'], 'type_vocab_size': 2, 'pad_token_id': 0,
        'hidden_act': 'gelu', 'layer_norm_eps': 1e-12, '_note': 'RANDOM WEIGHTS: same shape as the real model only'})
    write_json(os.path.join(folder, 'generation_config.json'), {'pad_token_id': 0})


def build(name, out_root, keep_fp32):
    spec = SPECS[name]
    folder = os.path.join(out_root, name)
    onnx_dir = os.path.join(folder, 'onnx')
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(onnx_dir)
    torch.manual_seed(zlib.crc32(name.encode()))
    (write_decoder_files if spec['kind'] == 'decoder' else write_encoder_files)(spec, folder)
    exporter = exporter_for(spec)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = os.path.join(onnx_dir if keep_fp32 else tmp, 'model.onnx')
        exporter(spec, fp32)
        count = quantize.quantize_dynamic(fp32, os.path.join(onnx_dir, 'model_quantized.onnx'))
    print(f'{name}: {folder} ({"fp32 + " if keep_fp32 else ""}q8, {count} MatMuls quantized)')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('targets', nargs='*', default=['tiny'], help='tiny | bench | model names')
    parser.add_argument('--test-out', default=os.path.join(ROOT, 'test', 'models'))
    parser.add_argument('--bench-out', default=os.path.join(ROOT, '.models'))
    parser.add_argument('--bench-fp32', action='store_true', help='also keep fp32 model.onnx for bench models')
    args = parser.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    names = [n for t in args.targets for n in GROUPS.get(t, [t])]
    for name in names:
        if name not in SPECS:
            parser.error(f'unknown model {name!r}; known: {", ".join(SPECS)}')
        bench = SPECS[name]['dest'] == 'bench'
        out = args.bench_out if bench else args.test_out
        os.makedirs(out, exist_ok=True)
        if bench:
            # never committed: the folder ignores itself
            with open(os.path.join(out, '.gitignore'), 'w', encoding='utf-8') as f:
                f.write('*\n')
        build(name, out, keep_fp32=not bench or args.bench_fp32)


if __name__ == '__main__':
    main()
