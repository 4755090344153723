"""Dynamic int8 quantization of MatMul weights, the op pattern of onnxruntime's quantize_dynamic.

Each MatMul whose right operand is a 2-D initializer becomes
DynamicQuantizeLinear(x) -> MatMulInteger(xq, Wq, xz, wz) -> Cast(float) -> Mul(x_scale * w_scale),
with symmetric per-output-channel int8 weights. ORT's CPU optimizer fuses the pattern into
DynamicQuantizeMatMul when the session is created. Embedding Gathers stay fp32 (as in the recipe).
"""
import os
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def _quantized_nodes(node, weight, prefix):
    scale = np.maximum(np.abs(weight).max(axis=0), 1e-8) / 127.0
    q = np.clip(np.round(weight / scale), -127, 127).astype(np.int8)
    inits = [numpy_helper.from_array(q, prefix + 'w_q'),
             numpy_helper.from_array(scale.astype(np.float32), prefix + 'w_scale'),
             numpy_helper.from_array(np.zeros(weight.shape[1], np.int8), prefix + 'w_zero')]
    x = node.input[0]
    nodes = [
        helper.make_node('DynamicQuantizeLinear', [x], [prefix + 'x_q', prefix + 'x_scale', prefix + 'x_zero']),
        helper.make_node('MatMulInteger', [prefix + 'x_q', prefix + 'w_q', prefix + 'x_zero', prefix + 'w_zero'],
                         [prefix + 'acc']),
        helper.make_node('Cast', [prefix + 'acc'], [prefix + 'acc_f'], to=TensorProto.FLOAT),
        helper.make_node('Mul', [prefix + 'x_scale', prefix + 'w_scale'], [prefix + 'scale']),
        helper.make_node('Mul', [prefix + 'acc_f', prefix + 'scale'], [node.output[0]]),
    ]
    return nodes, inits


def quantize_dynamic(src, dst, min_size=1024):
    model = onnx.load(src, load_external_data=True)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    nodes, new_inits, replaced, count = [], [], set(), 0
    for node in graph.node:
        weight = None
        if node.op_type == 'MatMul' and node.input[1] in inits:
            weight = numpy_helper.to_array(inits[node.input[1]])
        if weight is None or weight.ndim != 2 or weight.size < min_size:
            nodes.append(node)
            continue
        more_nodes, more_inits = _quantized_nodes(node, weight.astype(np.float32), f'dq{count}_')
        nodes += more_nodes
        new_inits += more_inits
        replaced.add(node.input[1])
        count += 1
    still_used = {name for n in nodes for name in n.input}
    kept = [i for i in graph.initializer if i.name not in replaced or i.name in still_used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits)
    big = sum(i.ByteSize() for i in graph.initializer) > 1.8e9
    location = os.path.basename(dst) + '_data' if big else None
    onnx.save(model, dst, save_as_external_data=big, all_tensors_to_one_file=True, location=location)
    return count
