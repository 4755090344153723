#!/usr/bin/env python3
"""Re-exports decoders built by buildTestModels.py with extra graph outputs: the post-RoPE queries of every layer.

    /usr/bin/python3 scripts/models/buildAttentionProbe.py          # tiny-decoder -> test/models/tiny-decoder-probe (fp32, committed)
    /usr/bin/python3 scripts/models/buildAttentionProbe.py bench    # SmolLM2-135M / Qwen2.5-Coder-0.5B shapes -> .models/<name>-probe (q8)
    /usr/bin/python3 scripts/models/buildAttentionProbe.py sharp    # all three with Q/K scaled -> .models/<name>-sharp-probe

Random weights attend almost uniformly (logit std ~0.3), which makes a top-90% check weak. The `sharp` variants
multiply every layer's q_proj and k_proj (weights and biases) by --qk-scale (default 3: logits x9), so attention
concentrates on few keys the way trained models' does; everything else, seed included, is the plain model's.

The weights are the builder's own: the same spec, the same seed (crc32 of the model name) and the same torch
module (scripts/models/nets.py), so logits and present.N.* match the plain model (checked by
test/unit/node/context/attentionProbe.test.ts). Extra outputs `queries.N`, shape [batch, heads, seq, headDim],
are the queries each layer scores its keys with (after RoPE at the given position_ids), for the attention-space
estimate of src/common/context/attentionSpace.ts. buildTestModels.py supplies the weights and the export I/O (`decoder_export_io`).
"""
import argparse
import os
import shutil
import sys
import tempfile
import zlib

sys.dont_write_bytecode = True  # keep scripts/models free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

import buildTestModels as builder  # noqa: E402
import nets  # noqa: E402
import quantize  # noqa: E402

TARGETS = {'tiny': ['tiny-decoder'], 'bench': ['smollm2-135m-shape', 'qwen2.5-coder-0.5b-shape'],
           'sharp': ['tiny-decoder', 'smollm2-135m-shape', 'qwen2.5-coder-0.5b-shape']}


class QueryProbe(nn.Module):
    """The builder's decoder, unchanged, plus every layer's rotated query (captured at q_proj, rotated like nets does)."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder
        self.captured = []
        for layer in decoder.layers:
            layer.q_proj.register_forward_hook(lambda _m, _i, out: self.captured.append(out))

    def forward(self, input_ids, attention_mask, position_ids, *past):
        self.captured.clear()
        outputs = self.decoder(input_ids, attention_mask, position_ids, *past)
        angles = position_ids.unsqueeze(-1).float() * self.decoder.inv_freq
        emb = torch.cat([angles, angles], dim=-1).unsqueeze(1)
        cos, sin = emb.cos(), emb.sin()
        queries = []
        for layer, q in zip(self.decoder.layers, self.captured):
            q = q.view(q.shape[0], q.shape[1], layer.heads, layer.head_dim).transpose(1, 2)
            queries.append(q * cos + nets.rotate_half(q) * sin)
        return (*outputs, *queries)


def sharpen(decoder, scale):
    """Scales every layer's query and key projections: attention logits grow by scale squared."""
    with torch.no_grad():
        for layer in decoder.layers:
            for proj in (layer.q_proj, layer.k_proj):
                proj.weight.mul_(scale)
                if proj.bias is not None:
                    proj.bias.mul_(scale)
    return decoder


def export_probe(spec, onnx_path, qk_scale=1.0):
    probe = QueryProbe(sharpen(nets.Decoder(spec).eval(), qk_scale)).eval()
    args, names_in, names_out, axes = builder.decoder_export_io(spec)
    for i in range(spec['layers']):
        names_out.append(f'queries.{i}')
        axes[names_out[-1]] = {0: 'batch_size', 2: 'sequence_length'}
    with torch.no_grad():
        torch.onnx.export(probe, args, onnx_path, input_names=names_in, output_names=names_out,
                          dynamic_axes=axes, opset_version=14, do_constant_folding=True)


def build(name, out_root, qk_scale=1.0):
    spec = builder.SPECS[name]
    if spec['kind'] != 'decoder':
        raise SystemExit(f'{name} is not a decoder')
    folder = os.path.join(out_root, f'{name}-sharp-probe' if qk_scale != 1.0 else f'{name}-probe')
    onnx_dir = os.path.join(folder, 'onnx')
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(onnx_dir)
    # the builder's order: seed, then the (randomness-free) tokenizer and config files, then the torch module
    torch.manual_seed(zlib.crc32(name.encode()))
    builder.write_decoder_files(spec, folder)
    if spec['dest'] == 'test':
        export_probe(spec, os.path.join(onnx_dir, 'model.onnx'), qk_scale)
        print(f'{os.path.basename(folder)}: {folder} (fp32)')
        return
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = os.path.join(tmp, 'model.onnx')
        export_probe(spec, fp32, qk_scale)
        count = quantize.quantize_dynamic(fp32, os.path.join(onnx_dir, 'model_quantized.onnx'))
    print(f'{os.path.basename(folder)}: {folder} (q8, {count} MatMuls quantized)')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('targets', nargs='*', default=['tiny'], help='tiny | bench | sharp | decoder names')
    parser.add_argument('--qk-scale', type=float, default=3.0, help='Q/K projection scale of the sharp variants')
    parser.add_argument('--test-out', default=os.path.join(builder.ROOT, 'test', 'models'))
    parser.add_argument('--bench-out', default=os.path.join(builder.ROOT, '.models'))
    args = parser.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    jobs = [(n, t == 'sharp') for t in args.targets for n in TARGETS.get(t, [t])]
    for name, sharp in jobs:
        if name not in builder.SPECS:
            parser.error(f'unknown model {name!r}; known: {", ".join(builder.SPECS)}')
        # sharp variants are bench-only (never committed), whatever the plain model's destination
        bench = sharp or builder.SPECS[name]['dest'] == 'bench'
        out = args.bench_out if bench else args.test_out
        os.makedirs(out, exist_ok=True)
        if bench:
            with open(os.path.join(out, '.gitignore'), 'w', encoding='utf-8') as f:
                f.write('*\n')
        build(name, out, args.qk_scale if sharp else 1.0)


if __name__ == '__main__':
    main()
