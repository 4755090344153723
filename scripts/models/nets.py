"""Random-weight torch modules with the shapes and ONNX I/O of Optimum / transformers.js exports.

Decoder (Llama / Qwen2 family): RMSNorm, RoPE driven only by `position_ids`, grouped-query attention
(KV heads expanded with expand+reshape, which keeps sequence lengths dynamic in torch 1.13's exporter), SwiGLU MLP,
lm_head tied to the embedding (or separate). The causal mask is built from token *indices* (past length + offset), never from
position ids, so callers may remap positions freely. Encoder: BERT (post-LN, GELU, token types).
"""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class RmsNorm(nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class DecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        hidden, heads, kv_heads, head_dim = cfg['hidden'], cfg['heads'], cfg['kv_heads'], cfg['head_dim']
        bias = cfg['qkv_bias']
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, head_dim
        self.input_norm = RmsNorm(hidden, cfg['eps'])
        self.post_norm = RmsNorm(hidden, cfg['eps'])
        self.q_proj = nn.Linear(hidden, heads * head_dim, bias=bias)
        self.k_proj = nn.Linear(hidden, kv_heads * head_dim, bias=bias)
        self.v_proj = nn.Linear(hidden, kv_heads * head_dim, bias=bias)
        self.o_proj = nn.Linear(heads * head_dim, hidden, bias=False)
        self.gate = nn.Linear(hidden, cfg['inter'], bias=False)
        self.up = nn.Linear(hidden, cfg['inter'], bias=False)
        self.down = nn.Linear(cfg['inter'], hidden, bias=False)

    def _expand(self, t):
        rep = self.heads // self.kv_heads
        if rep == 1:
            return t
        b, _, n, d = t.shape
        return t[:, :, None].expand(b, self.kv_heads, rep, n, d).reshape(b, self.heads, n, d)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        b, s, _ = x.shape
        h = self.input_norm(x)
        q = self.q_proj(h).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(h).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(h).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        scores = torch.matmul(q, self._expand(k).transpose(2, 3)) / math.sqrt(self.head_dim) + mask
        attn = torch.matmul(torch.softmax(scores, dim=-1), self._expand(v))
        x = x + self.o_proj(attn.transpose(1, 2).reshape(b, s, self.heads * self.head_dim))
        h = self.post_norm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h)), k, v


class Decoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed = nn.Embedding(cfg['vocab'], cfg['hidden'])
        nn.init.normal_(self.embed.weight, std=cfg['embed_std'])
        self.layers = nn.ModuleList([DecoderLayer(cfg) for _ in range(cfg['layers'])])
        self.norm = RmsNorm(cfg['hidden'], cfg['eps'])
        self.lm_head = None
        if not cfg['tie']:
            self.lm_head = nn.Parameter(torch.randn(cfg['vocab'], cfg['hidden']) * cfg['embed_std'])
        hd = cfg['head_dim']
        inv_freq = 1.0 / (cfg['theta'] ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
        self.register_buffer('inv_freq', inv_freq, persistent=False)

    def forward(self, input_ids, attention_mask, position_ids, *past):
        x = self.embed(input_ids)
        s = input_ids.shape[1]
        p = past[0].shape[2]
        angles = position_ids.unsqueeze(-1).float() * self.inv_freq
        emb = torch.cat([angles, angles], dim=-1).unsqueeze(1)
        cos, sin = emb.cos(), emb.sin()
        query_index = torch.arange(s).unsqueeze(1) + p
        key_index = torch.arange(p + s).unsqueeze(0)
        allowed = (key_index <= query_index)[None, None] & attention_mask.bool()[:, None, None, :]
        mask = torch.where(allowed, torch.zeros((), dtype=x.dtype), torch.full((), -1e9, dtype=x.dtype))
        presents = []
        for i, layer in enumerate(self.layers):
            x, k, v = layer(x, cos, sin, mask, past[2 * i], past[2 * i + 1])
            presents += [k, v]
        head = self.embed.weight if self.lm_head is None else self.lm_head
        logits = torch.matmul(self.norm(x), head.t())
        return (logits, *presents)


class BertLayer(nn.Module):
    def __init__(self, hidden, heads, inter):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.q, self.k, self.v, self.o = (nn.Linear(hidden, hidden) for _ in range(4))
        self.attn_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.out_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.inter, self.out = nn.Linear(hidden, inter), nn.Linear(inter, hidden)

    def forward(self, x, mask):
        b, s, h = x.shape
        split = lambda t: t.view(b, s, self.heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        attn = torch.softmax(torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim) + mask, dim=-1)
        x = self.attn_norm(x + self.o(torch.matmul(attn, v).transpose(1, 2).reshape(b, s, h)))
        return self.out_norm(x + self.out(F.gelu(self.inter(x))))


class Bert(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        hidden = cfg['hidden']
        self.words = nn.Embedding(cfg['vocab'], hidden)
        self.positions = nn.Embedding(cfg['max_positions'], hidden)
        self.types = nn.Embedding(2, hidden)
        self.norm = nn.LayerNorm(hidden, eps=1e-12)
        self.layers = nn.ModuleList([BertLayer(hidden, cfg['heads'], cfg['inter']) for _ in range(cfg['layers'])])

    def forward(self, input_ids, attention_mask, token_type_ids):
        pos = torch.arange(input_ids.shape[1]).unsqueeze(0)
        x = self.norm(self.words(input_ids) + self.positions(pos) + self.types(token_type_ids))
        mask = (1.0 - attention_mask[:, None, None, :].float()) * -1e9
        for layer in self.layers:
            x = layer(x, mask)
        return x
