#!/usr/bin/python3
"""Writes golden forward/backward values of a tiny BERT-style encoder, for the Java transformer tests.

Usage: /usr/bin/python3 bench/scripts/golden_transformer.py [--norm pre|post|both] [--out test-data/golden]
Debian's python3-torch (apt-get install python3-torch) lives in /usr/bin/python3. No `transformers` or
`safetensors` package is needed: the model is plain PyTorch and the safetensors file is written by hand.

Model (Hugging Face BertForMaskedLM tensor names, Linear weights stored (out, in)):
  vocab 8 (token 5 = PAD, 6 = MASK), max positions 8, d_model 16, 2 heads of 8, 2 blocks, MLP 64 (4 x d),
  LayerNorm eps 1e-5, GELU tanh form everywhere, no dropout.
  post-LN (original BERT):
    h = LN_emb(word[ids] + pos[0..T) + token_type[0])           (token_type is all zeros, no gradient)
    per block: h = LN_attn(h + AttnOut(SelfAttn(h))); h = LN_out(h + Out(gelu(Intermediate(h))))
  pre-LN:
    h = word[ids] + pos[0..T)
    per block: h = h + AttnOut(SelfAttn(LN1(h))); h = h + Out(gelu(Intermediate(LN2(h))))
    h = LN_final(h)
  SelfAttn: q, k, v = Linear(x) split into heads, scores = q k^T / sqrt(dh), scores[b, :, :, j] = -inf where key j
    is padding (attention_mask[b, j] == 0; queries at padding positions still attend over the real keys),
    softmax over keys, probs v merged back to (B, T, d).
  MLM head: t = LN_head(gelu(Transform(h))); logits = t @ decoder.T + bias.
  Loss: mean cross-entropy over positions whose label is not -100.

The weights are drawn in float32 (so the stored F32 values are exactly the ones used), then everything is computed in
float64 and the results are rounded to float32 when written. File contents: every weight under its name, input_ids,
labels, attention_mask (I32), logits, loss, hidden.1 / hidden.2 (the residual stream after block 1 and 2; for pre-LN
before the final LN) and grad.<name> for every trainable weight.
"""
import argparse
import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

VOCAB = 8
MAX_POS = 8
D_MODEL = 16
HEADS = 2
LAYERS = 2
INTERMEDIATE = 4 * D_MODEL
EPS = 1e-5
PAD = 5
MASK = 6
SEED = 1234

# Batch of 2 sequences padded to length 7: sequence 0 has 5 real tokens then 2 PAD, sequence 1 has 7 real tokens.
INPUT_IDS = [[3, 0, MASK, 2, 4, PAD, PAD],
             [3, 1, MASK, 0, 2, MASK, 4]]
# Targets at the MASK positions (terminals 0..2) plus one unmasked position (sequence 1, position 3, its own token 0).
LABELS = [[-100, -100, 1, -100, -100, -100, -100],
          [-100, -100, 2, 0, -100, 0, -100]]


def gelu(x):
    return F.gelu(x, approximate="tanh")


class Embeddings(nn.Module):
    def __init__(self, vocab, max_pos, d, post):
        super().__init__()
        self.post = post
        self.word_embeddings = nn.Embedding(vocab, d)
        self.position_embeddings = nn.Embedding(max_pos, d)
        if post:
            self.token_type_embeddings = nn.Embedding(1, d)
            self.LayerNorm = nn.LayerNorm(d, eps=EPS)

    def forward(self, ids):
        t = ids.shape[1]
        h = self.word_embeddings(ids) + self.position_embeddings.weight[:t]
        if self.post:
            h = self.LayerNorm(h + self.token_type_embeddings.weight[0])
        return h


class SelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(d, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)

    def forward(self, x, key_padding, queries=None):
        """x (B, T, d); key_padding (B, T) bool, True where the key is padding; queries (B, Tq, d): the rows that ask
        (default x). Returns (B, Tq, d)."""
        queries = x if queries is None else queries
        return self.attend(self.query(queries), self.key(x), self.value(x), key_padding)

    def attend(self, q, k, v, key_padding):
        """Attention over projected queries q (B, Tq, d), keys k and values v (B, T, d). Returns (B, Tq, d)."""
        b, t, d = k.shape
        dh = d // self.heads

        def split(y):
            return y.view(b, y.shape[1], self.heads, dh).transpose(1, 2)  # (B, H, T, dh)

        queries = q
        q, k, v = split(q), split(k), split(v)
        scores = q @ k.transpose(-1, -2) / math.sqrt(dh)  # (B, H, Tq, T)
        scores = scores.masked_fill(key_padding[:, None, None, :], float("-inf"))
        probs = torch.softmax(scores, dim=-1)
        return (probs @ v).transpose(1, 2).reshape(b, queries.shape[1], d)


class AttentionOutput(nn.Module):
    def __init__(self, d, post):
        super().__init__()
        self.dense = nn.Linear(d, d)
        if post:
            self.LayerNorm = nn.LayerNorm(d, eps=EPS)


class Attention(nn.Module):
    def __init__(self, d, heads, post):
        super().__init__()
        if not post:
            self.LayerNorm = nn.LayerNorm(d, eps=EPS)  # LN1 (pre-LN)
        self.self = SelfAttention(d, heads)
        self.output = AttentionOutput(d, post)


class Intermediate(nn.Module):
    def __init__(self, d, hidden, post):
        super().__init__()
        if not post:
            self.LayerNorm = nn.LayerNorm(d, eps=EPS)  # LN2 (pre-LN)
        self.dense = nn.Linear(d, hidden)


class Output(nn.Module):
    def __init__(self, d, hidden, post):
        super().__init__()
        self.dense = nn.Linear(hidden, d)
        if post:
            self.LayerNorm = nn.LayerNorm(d, eps=EPS)


class Layer(nn.Module):
    def __init__(self, d, heads, hidden, post):
        super().__init__()
        self.post = post
        self.attention = Attention(d, heads, post)
        self.intermediate = Intermediate(d, hidden, post)
        self.output = Output(d, hidden, post)

    def forward(self, h, key_padding):
        att = self.attention
        return self.finish(h, att.self(h if self.post else att.LayerNorm(h), key_padding))

    def finish(self, h, context):
        """What follows attention: h the block's input, context the heads' outputs (both (..., d))."""
        att, mid, out = self.attention, self.intermediate, self.output
        if self.post:
            h = att.output.LayerNorm(h + att.output.dense(context))
            return out.LayerNorm(h + out.dense(gelu(mid.dense(h))))
        h = h + att.output.dense(context)
        return h + out.dense(gelu(mid.dense(mid.LayerNorm(h))))


class Encoder(nn.Module):
    def __init__(self, d, heads, hidden, layers, post):
        super().__init__()
        self.layer = nn.ModuleList(Layer(d, heads, hidden, post) for _ in range(layers))
        if not post:
            self.LayerNorm = nn.LayerNorm(d, eps=EPS)  # final LN (pre-LN)


class Bert(nn.Module):
    def __init__(self, vocab, max_pos, d, heads, hidden, layers, post):
        super().__init__()
        self.embeddings = Embeddings(vocab, max_pos, d, post)
        self.encoder = Encoder(d, heads, hidden, layers, post)


class Transform(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.dense = nn.Linear(d, d)
        self.LayerNorm = nn.LayerNorm(d, eps=EPS)


class Predictions(nn.Module):
    def __init__(self, d, vocab):
        super().__init__()
        self.transform = Transform(d)
        self.decoder = nn.Linear(d, vocab, bias=False)
        self.bias = nn.Parameter(torch.zeros(vocab))

    def forward(self, h):
        t = self.transform.LayerNorm(gelu(self.transform.dense(h)))
        return self.decoder(t) + self.bias


class MlmHead(nn.Module):
    def __init__(self, d, vocab):
        super().__init__()
        self.predictions = Predictions(d, vocab)


class TinyBert(nn.Module):
    """BERT-style encoder with the HF BertForMaskedLM tensor names; head 'mlm' (per position, over the vocabulary)
    or 'cls' (Linear d -> classes at the last position, after the final norm)."""

    def __init__(self, vocab=VOCAB, max_pos=MAX_POS, d=D_MODEL, heads=HEADS, hidden=INTERMEDIATE, layers=LAYERS,
                 norm="pre", head="mlm", classes=2):
        super().__init__()
        assert norm in ("pre", "post") and head in ("mlm", "cls") and d % heads == 0
        self.post = norm == "post"
        self.head = head
        self.bert = Bert(vocab, max_pos, d, heads, hidden, layers, self.post)
        if head == "mlm":
            self.cls = MlmHead(d, vocab)
        else:
            self.classifier = nn.Linear(d, classes)

    def forward(self, ids, attention_mask, return_hidden=False):
        """ids, attention_mask (B, T) int (mask 1 = real token). Returns logits (B, T, V) for 'mlm', (B, classes)
        for 'cls'; with return_hidden also the residual stream after each block."""
        key_padding = attention_mask == 0
        h = self.bert.embeddings(ids)
        hidden = []
        for layer in self.bert.encoder.layer:
            h = layer(h, key_padding)
            hidden.append(h)
        if not self.post:
            h = self.bert.encoder.LayerNorm(h)
        logits = self.cls.predictions(h) if self.head == "mlm" else self.classifier(h[:, -1])
        return (logits, hidden) if return_hidden else logits


def mlm_loss(logits, labels):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)


def init_golden(model, seed=SEED):
    """Every tensor random, so a test is sensitive to each: matrices and embeddings N(0, 0.3), biases N(0, 0.1),
    LayerNorm weights 1 + N(0, 0.1), LayerNorm biases N(0, 0.1); token_type all zeros and frozen."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            n = torch.randn(p.shape, generator=g, dtype=torch.float32)
            if name.endswith("token_type_embeddings.weight"):
                p.zero_()
                p.requires_grad_(False)
            elif ".LayerNorm." in name and name.endswith(".weight"):
                p.copy_(1 + 0.1 * n)
            elif p.dim() == 1:
                p.copy_(0.1 * n)
            else:
                p.copy_(0.3 * n)


# ---------------------------------------------------------------------------------------------------------------
# safetensors, written by hand


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, np.ndarray float32 or int32), written in order; metadata: dict str -> str."""
    header, blobs, offset = {}, [], 0
    for name, a in tensors:
        if a.dtype == np.float32:
            dtype, data = "F32", a.astype("<f4").tobytes()
        elif a.dtype == np.int32:
            dtype, data = "I32", a.astype("<i4").tobytes()
        else:
            raise ValueError(f"{name}: unsupported dtype {a.dtype}")
        assert name not in header and name != "__metadata__"
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    js = json.dumps(header, separators=(",", ":")).encode("utf-8")
    js += b" " * (-len(js) % 8)  # pad with spaces so the data starts 8-byte aligned
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def read_safetensors(path):
    """Reads back a file written above (for the self-check)."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    out = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        out[name] = np.frombuffer(data[b:end], dtype="<f4" if e["dtype"] == "F32" else "<i4").reshape(e["shape"])
    return out, meta


# ---------------------------------------------------------------------------------------------------------------
# self-checks


def check_gradcheck(model, ids, mask, labels, names):
    """torch.autograd.gradcheck of the loss w.r.t. a few whole tensors (finite differences in float64)."""
    from torch.nn.utils.stateless import functional_call

    params = {n: p.detach() for n, p in model.named_parameters()}
    for name in names:
        def loss_of(x, name=name):
            return mlm_loss(functional_call(model, {**params, name: x}, (ids, mask)), labels)

        x = params[name].clone().requires_grad_(True)
        ok = torch.autograd.gradcheck(loss_of, (x,), eps=1e-6, atol=1e-7, rtol=1e-5)
        assert ok, name
    return len(names)


def check_directional(model, ids, mask, labels, grads, seed=7):
    """Central difference of the loss along one random direction over every trainable tensor, against sum(grad * v)."""
    g = torch.Generator().manual_seed(seed)
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    vs = [torch.randn(p.shape, generator=g, dtype=torch.float64) for _, p in params]
    eps = 1e-6
    with torch.no_grad():
        def loss_at(s):
            for (_, p), v in zip(params, vs):
                p.add_(s * v)
            l = mlm_loss(model(ids, mask), labels).item()
            for (_, p), v in zip(params, vs):
                p.sub_(s * v)
            return l

        fd = (loss_at(eps) - loss_at(-eps)) / (2 * eps)
    an = sum((grads[n] * v).sum().item() for (n, _), v in zip(params, vs))
    rel = abs(fd - an) / max(abs(an), 1e-12)
    assert rel < 1e-6, (fd, an)
    return fd, an, rel


def check_no_leak(model, ids, mask):
    """Changing the token id at PAD positions (mask kept) or the PAD embedding row leaves real logits unchanged."""
    real = mask.bool()
    with torch.no_grad():
        base = model(ids, mask)
        other = ids.clone()
        other[~real] = torch.arange(int((~real).sum())) % VOCAB  # any other tokens at the padded positions
        d1 = (model(other, mask) - base)[real].abs().max().item()
        w = model.bert.embeddings.word_embeddings.weight
        saved = w[PAD].clone()
        w[PAD] += 10.0
        d2 = (model(ids, mask) - base)[real].abs().max().item()
        w[PAD] = saved
        moved = (model(ids, mask) - base).abs().max().item()
    assert d1 < 1e-12 and d2 < 1e-12 and moved == 0.0, (d1, d2, moved)
    return d1, d2


def check_against_torch_layers(model, ids, mask, hidden):
    """The blocks recomputed with nn.TransformerEncoderLayer (an independent implementation of the same block)."""
    post = model.post
    key_padding = mask == 0
    with torch.no_grad():
        h = model.bert.embeddings(ids)
        worst = 0.0
        for i, layer in enumerate(model.bert.encoder.layer):
            ref = nn.TransformerEncoderLayer(D_MODEL, HEADS, INTERMEDIATE, dropout=0.0, activation=gelu,
                                             layer_norm_eps=EPS, batch_first=True, norm_first=not post).double()
            att, mid, out = layer.attention, layer.intermediate, layer.output
            s = att.self
            ref.self_attn.in_proj_weight.copy_(torch.cat([s.query.weight, s.key.weight, s.value.weight]))
            ref.self_attn.in_proj_bias.copy_(torch.cat([s.query.bias, s.key.bias, s.value.bias]))
            ref.self_attn.out_proj.weight.copy_(att.output.dense.weight)
            ref.self_attn.out_proj.bias.copy_(att.output.dense.bias)
            ref.linear1.load_state_dict(mid.dense.state_dict())
            ref.linear2.load_state_dict(out.dense.state_dict())
            ref.norm1.load_state_dict((att.output.LayerNorm if post else att.LayerNorm).state_dict())
            ref.norm2.load_state_dict((out.LayerNorm if post else mid.LayerNorm).state_dict())
            ref.train()  # keeps nn.TransformerEncoderLayer off its fused inference path (dropout is 0 anyway)
            h = ref(h, src_key_padding_mask=key_padding)
            worst = max(worst, (h - hidden[i]).abs().max().item())
    assert worst < 1e-10, worst
    return worst


# ---------------------------------------------------------------------------------------------------------------


def golden(norm, out_dir):
    torch.manual_seed(SEED)
    model = TinyBert(norm=norm)
    init_golden(model)
    model = model.double()
    ids = torch.tensor(INPUT_IDS, dtype=torch.long)
    mask = (ids != PAD).long()
    labels = torch.tensor(LABELS, dtype=torch.long)
    assert not ((labels != -100) & (mask == 0)).any(), "a PAD position is labelled"

    logits, hidden = model(ids, mask, return_hidden=True)
    loss = mlm_loss(logits, labels)
    model.zero_grad()
    loss.backward()
    grads = {n: p.grad.detach().clone() for n, p in model.named_parameters() if p.requires_grad}

    # self-checks
    ln = "attention.output.LayerNorm.weight" if model.post else "intermediate.LayerNorm.weight"
    n_gc = check_gradcheck(model, ids, mask, labels, [
        "bert.embeddings.position_embeddings.weight",
        "bert.encoder.layer.0.attention.self.query.bias",
        "bert.encoder.layer.0.attention.self.key.weight",
        f"bert.encoder.layer.1.{ln}",
        "cls.predictions.bias"])
    fd, an, rel = check_directional(model, ids, mask, labels, grads)
    d1, d2 = check_no_leak(model, ids, mask)
    worst = check_against_torch_layers(model, ids, mask, hidden)
    zero_pad_grad = grads["bert.embeddings.word_embeddings.weight"][PAD].abs().max().item()
    assert zero_pad_grad == 0.0

    tensors = []
    for n, p in model.named_parameters():
        tensors.append((n, p.detach().float().numpy()))
    tensors += [("input_ids", ids.int().numpy()), ("labels", labels.int().numpy()),
                ("attention_mask", mask.int().numpy()),
                ("logits", logits.detach().float().numpy()),
                ("loss", loss.detach().float().reshape(1).numpy())]
    for i, h in enumerate(hidden):
        tensors.append((f"hidden.{i + 1}", h.detach().float().numpy()))
    for n, gr in grads.items():
        tensors.append((f"grad.{n}", gr.float().numpy()))
    metadata = {
        "norm": norm, "vocab_size": VOCAB, "hidden_size": D_MODEL, "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS, "intermediate_size": INTERMEDIATE, "max_position_embeddings": MAX_POS,
        "layer_norm_eps": EPS, "pad_token_id": PAD, "mask_token_id": MASK, "hidden_act": "gelu_pytorch_tanh",
        "seed": SEED, "torch_version": torch.__version__, "generator": "bench/scripts/golden_transformer.py",
        "note": "weights drawn in float32; forward, loss and gradients computed in float64 and rounded to float32; "
                "loss = mean cross-entropy over labels != -100; hidden.i = residual stream after block i "
                "(pre-LN: before the final LayerNorm); attention masks keys where attention_mask == 0",
    }
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"transformer-{norm}.safetensors")
    write_safetensors(path, tensors, metadata)

    back, meta = read_safetensors(path)  # round trip
    assert list(back) == [n for n, _ in tensors] and meta["norm"] == norm
    for n, a in tensors:
        assert np.array_equal(back[n], a), n

    n_params = sum(p.numel() for p in model.parameters())
    print(f"{norm}-LN: loss {loss.item():.10f}  ({n_params} weights, {len(tensors)} tensors, "
          f"{os.path.getsize(path)} bytes -> {path})")
    print(f"  gradcheck ok on {n_gc} tensors; directional FD {fd:.10f} vs analytic {an:.10f} (rel {rel:.1e}); "
          f"PAD leak: ids {d1:.1e}, embedding {d2:.1e}; vs nn.TransformerEncoderLayer {worst:.1e}")
    return loss.item()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--norm", default="both", choices=["pre", "post", "both"])
    here = os.path.dirname(os.path.abspath(__file__))
    p.add_argument("--out", default=os.path.join(here, "..", "..", "test-data", "golden"))
    a = p.parse_args()
    torch.set_default_dtype(torch.float32)
    print(f"torch {torch.__version__}")
    for norm in (["pre", "post"] if a.norm == "both" else [a.norm]):
        golden(norm, os.path.normpath(a.out))


if __name__ == "__main__":
    main()
