#!/usr/bin/python3
"""Times one BERT-style encoder training step (forward + backward + grad clip + AdamW) in PyTorch CPU, float32.

Usage:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/scripts/torch_transformer_step.py \
      [--shape parity|pcfg-student|pcfg-teacher] \
      [--batch 128] [--seq 21] [--d-model 128] [--heads 4] [--layers 2] [--norm pre|post] \
      [--head cls --vocab 3 --classes 2 | --head mlm --vocab 8 [--labelled 0.24]] [--full-last-block] [--no-folded-keys] \
      [--threads 1,2] [--warmup 10] [--steps 50 | --seconds 1] [--json] [--turns]
Unset OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (env -u) so OpenBLAS/MKL picks its best kernel for this CPU.
Debian's python3-torch (apt-get install python3-torch) lives in /usr/bin/python3. Its BLAS is whatever libblas.so.3
the system provides: install libopenblas0-openmp too, or PyTorch runs its matmuls on the reference BLAS (about 30x
slower; the header line names the BLAS library loaded and warns, and --turns refuses to run). Debian's torch does not
pass its thread count to OpenBLAS, so this script sets both (torch.set_num_threads and openblas_set_num_threads).
With the pthread OpenBLAS (libopenblas0-pthread) two thread pools share the cores, PyTorch's OpenMP one spinning while
OpenBLAS works: above one thread run with OMP_WAIT_POLICY=passive, or install libopenblas0-openmp instead, whose
threads are PyTorch's own.
The timings are only meaningful on an otherwise idle machine (a concurrent build halves them, more so at 2 threads).

The model is the one of golden_transformer.py (same directory): pre-LN or post-LN blocks, MLP 4 x d, GELU tanh form,
LayerNorm eps 1e-5, no dropout, explicit attention with a key-padding mask. Nothing is padded here (all tokens real),
but the mask is still built and applied (all False) so the work matches a padded batch. Heads:
  cls: Linear d -> classes at the last position, after the final norm; cross-entropy over the batch. As in curex,
       the last block runs its query, attention, output projection, residuals, norms and MLP on that position only
       (the same logits), its keys and values folded into that query: scores (W_k^T q) . x_t and output
       W_v (sum_t p_t x_t) + b_v per head, never forming a key or value (--no-folded-keys forms them at every
       position); --full-last-block runs the block on every position, as the plain model does.
  mlm: the BERT MLM head (dense, GELU, LayerNorm, decoder); --labelled of the positions labelled (default 0.24, as in
       curex's PCFG batches), the rest -100. As in curex, the last block's output projection, residuals, norms and MLP
       and the head run on the labelled positions only (the same logits there); --full-last-block runs them on every
       position, as the plain model does.
Ids: parity's bits then CLS ('cls'), or BOS, terminals and MASK ('mlm'), so that a batch repeats (token, position)
pairs as curex's do. As in curex, the embeddings and the first block's norm and query, key and value projections then
run once per distinct pair; here they are expanded to every position by indexing (same values; curex's attention
reads the pairs' rows through the index instead); --no-shared-pairs runs them on every position, as the plain model
does.
--shape sets the options of one of curex's TransformerStepBench shapes (SHAPES below); options given beside it win.
Step: zero_grad, loss.backward(), clip_grad_norm_(1.0), AdamW(lr 3e-3, betas (0.9, 0.95), weight decay 0).
steps/s is the median of 3 repeats, each of --steps steps (or of --seconds seconds), after --warmup steps.
--turns (one thread count): after --warmup steps, print "ready" and then answer commands on stdin, as curex's
bench StepTurns does: "run SECONDS" runs whole steps until SECONDS have passed and prints "STEPS ELAPSED_SECONDS";
"quit" exits. bench/scripts/step_turns.py alternates the two so that both run under the same machine conditions.
"""
import argparse
import ctypes
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

import peer_malloc

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_transformer import TinyBert, gelu, mlm_loss  # noqa: E402


def blas_library():
    """Path of the BLAS library this process loaded (through libtorch), "MKL (linked into libtorch)" for a PyTorch
    wheel that carries MKL inside, or None. numpy's own OpenBLAS (numpy.libs) is not PyTorch's and is skipped."""
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "/" in line and "numpy.libs" not in line}
    for key in ("openblas", "mkl_rt", "libmkl", "blis", "libblas"):
        for path in sorted(paths):
            if key in os.path.basename(path):
                return path
    if "BLAS_INFO=mkl" in torch.__config__.show():
        return "MKL (linked into libtorch)"
    return None


def openblas():
    path = blas_library()
    if path and "openblas" in os.path.basename(path):
        lib = ctypes.CDLL(path)
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib
    return None


def set_threads(threads):
    torch.set_num_threads(threads)
    lib = openblas()
    if lib is not None:
        lib.openblas_set_num_threads(threads)


def distinct_pairs(ids):
    """The (token, position) pairs of ids (B, T) as curex finds them: (tokens (U), positions (U), index (B, T) of
    each position's pair), or None where curex does not share them (fewer than 256 positions, or more than half as
    many pairs as positions)."""
    b, t = ids.shape
    keys = ids * t + torch.arange(t)
    pairs, index = torch.unique(keys, return_inverse=True)
    if b * t < 256 or 2 * pairs.numel() > b * t:
        return None
    return pairs // t, pairs % t, index


def encode_below_last(model, ids, key_padding, shared_pairs):
    """The residual stream before the last block (B, T, d). With shared_pairs, as curex does where a batch repeats
    (token, position) pairs: the embeddings and the first block's norm and query, key and value projections once per
    pair, expanded to every position (by indexing) before attention. Same values as the plain model's."""
    layers = model.bert.encoder.layer
    pairs = distinct_pairs(ids) if shared_pairs and len(layers) > 1 else None
    if pairs is None:
        h = model.bert.embeddings(ids)
        for layer in layers[:-1]:
            h = layer(h, key_padding)
        return h
    tokens, positions, index = pairs
    emb, first = model.bert.embeddings, layers[0]
    x = emb.word_embeddings(tokens) + emb.position_embeddings(positions)  # (U, d)
    if emb.post:
        x = emb.LayerNorm(x + emb.token_type_embeddings.weight[0])
    att = first.attention
    normed = x if first.post else att.LayerNorm(x)
    sa = att.self
    context = sa.attend(sa.query(normed)[index], sa.key(normed)[index], sa.value(normed)[index], key_padding)
    h = first.finish(x[index], context)
    for layer in layers[1:-1]:
        h = layer(h, key_padding)
    return h


def attend_last_folded(sa, x, key_padding):
    """The last position's attention output (B, d) over x (B, T, d) without forming keys and values, as curex's
    SelfAttention.contextOfOne: per head, scores (W_k^T q) . x_t (the key bias adds the same to every score) and
    output W_v (sum_t p_t x_t) + b_v (the probabilities sum to one). Same values as the plain attention's last row."""
    b, t, d = x.shape
    h = sa.heads
    dh = d // h
    q = sa.query(x[:, -1]).view(b, h, dh).transpose(0, 1)  # (H, B, dh)
    u = torch.bmm(q, sa.key.weight.view(h, dh, d)) / math.sqrt(dh)  # (H, B, d)
    scores = torch.bmm(u.transpose(0, 1), x.transpose(1, 2))  # (B, H, T)
    probs = torch.softmax(scores.masked_fill(key_padding[:, None, :], float("-inf")), dim=-1)
    z = torch.bmm(probs, x)  # (B, H, d)
    context = torch.bmm(z.transpose(0, 1), sa.value.weight.view(h, dh, d).transpose(1, 2))  # (H, B, dh)
    return context.transpose(0, 1).reshape(b, d) + sa.value.bias


def last_block_on_rows(model, ids, attention_mask, pick, last_query=False, shared_pairs=True, folded_keys=True):
    """The residual stream after the last block at the rows pick(x) selects from a (B, T, d) tensor, as curex computes
    it: keys and values from every position, then the output projection, residuals, norms and MLP on those rows only
    (and the final norm, pre-LN). With last_query (the classifier's last row) the query and attention run for that row
    alone too, and with folded_keys that attention never forms the keys and values (attend_last_folded). Same values
    as the full model's rows."""
    key_padding = attention_mask == 0
    h = encode_below_last(model, ids, key_padding, shared_pairs)
    last = model.bert.encoder.layer[-1]
    att, mid, out = last.attention, last.intermediate, last.output
    normed = h if last.post else att.LayerNorm(h)
    if last_query and folded_keys:
        context = attend_last_folded(att.self, normed, key_padding)
    elif last_query:
        context = att.self(normed, key_padding, queries=normed[:, -1:])[:, 0]
    else:
        context = pick(att.self(normed, key_padding))
    if last.post:
        x = att.output.LayerNorm(pick(h) + att.output.dense(context))
        return out.LayerNorm(x + out.dense(gelu(mid.dense(x))))
    x = pick(h) + att.output.dense(context)
    x = x + out.dense(gelu(mid.dense(mid.LayerNorm(x))))
    return model.bert.encoder.LayerNorm(x)


def classify_last_row(model, ids, attention_mask, shared_pairs=True, folded_keys=True):
    """The 'cls' logits with the last block on the read-out (last) position only. Same logits as model(ids, mask)."""
    return model.classifier(last_block_on_rows(model, ids, attention_mask, lambda t: t[:, -1], last_query=True,
                                               shared_pairs=shared_pairs, folded_keys=folded_keys))


def mlm_labelled_rows(model, ids, attention_mask, rows, shared_pairs=True):
    """The 'mlm' logits at the labelled positions only, rows: indices into the (B * T) positions, as curex computes
    them: the last block after attention and the head run on those rows. Same logits as model(ids, mask) there."""
    pick = lambda t: t.reshape(-1, t.shape[-1])[rows]  # noqa: E731
    return model.cls.predictions(last_block_on_rows(model, ids, attention_mask, pick, shared_pairs=shared_pairs))


def make_step(a):
    torch.manual_seed(0)
    model = TinyBert(vocab=a.vocab, max_pos=a.seq, d=a.d_model, heads=a.heads, hidden=4 * a.d_model,
                     layers=a.layers, norm=a.norm, head=a.head, classes=a.classes)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.95), weight_decay=0.0)
    mask = torch.ones(a.batch, a.seq, dtype=torch.long)  # all real; the key-padding mask is still applied
    if a.head == "cls":  # as parity-tf's: bits 0, 1 and the CLS token (2) last
        ids = torch.randint(0, 2, (a.batch, a.seq))
        ids[:, -1] = 2
        y = torch.randint(0, a.classes, (a.batch,))
    else:  # as PCFG's: BOS (3), terminals 0..2, and MASK (6) at 80% of the labelled positions
        ids = torch.randint(0, 3, (a.batch, a.seq))
        ids[:, 0] = 3
        y = torch.randint(0, a.vocab, (a.batch, a.seq))
        keep = torch.rand(a.batch, a.seq) < a.labelled
        keep[:, 0] |= ~keep.any(dim=1)  # at least one labelled position per sequence
        ids = torch.where(keep & (torch.rand(a.batch, a.seq) < 0.8), torch.full_like(ids, 6), ids)
        y = torch.where(keep, y, torch.full_like(y, -100))
        rows = keep.reshape(-1).nonzero().squeeze(1)
        y_rows = y.reshape(-1)[rows]

    def step():
        opt.zero_grad(set_to_none=False)
        if a.full_last_block:
            logits = model(ids, mask)
            loss = F.cross_entropy(logits, y) if a.head == "cls" else mlm_loss(logits, y)
        elif a.head == "cls":
            loss = F.cross_entropy(classify_last_row(model, ids, mask, not a.no_shared_pairs, not a.no_folded_keys), y)
        else:
            loss = F.cross_entropy(mlm_labelled_rows(model, ids, mask, rows, not a.no_shared_pairs), y_rows)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss

    n_params = sum(p.numel() for p in model.parameters())
    return step, n_params


def steps_per_second(a, threads):
    set_threads(threads)
    step, _ = make_step(a)
    for _ in range(a.warmup):
        step()
    rates = []
    for _ in range(3):
        count, start = 0, time.perf_counter()
        if a.seconds:
            while time.perf_counter() - start < a.seconds:
                step()
                count += 1
        else:
            for _ in range(a.steps):
                step()
            count = a.steps
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates), rates


# curex's TransformerStepBench shapes; PCFG: --seq 70 and --labelled 0.24, the mean padded length and masked fraction
# of curex's batches of cfg3b's short strings
SHAPES = {
    "parity": dict(head="cls", batch=128, seq=21, d_model=128, heads=4, layers=2),
    "pcfg-student": dict(head="mlm", vocab=8, seq=70, batch=64, d_model=64, heads=8, layers=4),
    "pcfg-teacher": dict(head="mlm", vocab=8, seq=70, batch=64, d_model=256, heads=32, layers=4),
}


def serve_turns(a):
    """The --turns protocol on stdin/stdout (see the module docstring), after one "# torch ..., BLAS ..." line."""
    threads = [int(t) for t in a.threads.split(",")]
    if len(threads) != 1:
        sys.exit("--turns takes one thread count (--threads N)")
    set_threads(threads[0])
    step, _ = make_step(a)
    for _ in range(a.warmup):
        step()
    lib, blas = openblas(), blas_library()
    if lib is None and blas and "/blas/" in blas:   # a ratio against it would be ~30x off
        sys.exit(f"the reference BLAS is loaded ({blas}); install libopenblas0-openmp for meaningful timings")
    print(f"# torch {torch.__version__}, malloc {a.malloc}, BLAS {blas}"
          + (f" (OpenBLAS core {lib.openblas_get_corename().decode()})" if lib is not None else ""))
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if words == ["quit"]:
            return
        if len(words) != 2 or words[0] != "run":
            sys.exit(f"unknown command {line.strip()!r} (run SECONDS, quit)")
        budget, count, start = float(words[1]), 0, time.perf_counter()
        while True:
            step()
            count += 1
            if time.perf_counter() - start >= budget:
                break
        print(f"{count} {time.perf_counter() - start:.6f}", flush=True)


def matmul_flops(a):
    """Approximate matmul FLOPs of one training step (backward = 2 x forward; embeddings, norms, softmax ignored)."""
    b, t, d, L = a.batch, a.seq, a.d_model, a.layers
    attention = 2 * 2 * b * t * t * d  # scores + probs@v
    per_layer = 2 * b * t * (4 * d * d + 2 * 4 * d * d) + attention  # q,k,v,o + MLP
    if a.full_last_block:
        head = 2 * b * (d * a.classes) if a.head == "cls" else 2 * b * t * (d * d + d * a.vocab)
        return 3 * (L * per_layer + head)
    # the first block's q, k, v once per (token, position) pair: next to nothing
    shared = 2 * b * t * 3 * d * d if not a.no_shared_pairs and L > 1 else 0
    if a.head == "cls" and a.no_folded_keys:  # last block: k, v on every token; q, attention, o, MLP on the last row
        last = 2 * b * t * 2 * d * d + 2 * b * 10 * d * d + 2 * 2 * b * t * d
        return 3 * ((L - 1) * per_layer - shared + last + 2 * b * d * a.classes)
    if a.head == "cls":  # last block on the last row: q, keys and values folded into it (2 d^2), o and MLP; attention
        last = 2 * b * 12 * d * d + 2 * 2 * b * a.heads * t * d
        return 3 * ((L - 1) * per_layer - shared + last + 2 * b * d * a.classes)
    # last block: q, k, v and attention on every token, o and MLP on the labelled rows, and the head there
    rows = round(b * t * a.labelled)
    last = 2 * b * t * 3 * d * d + attention + 2 * rows * 9 * d * d
    return 3 * ((L - 1) * per_layer - shared + last + 2 * rows * (d * d + d * a.vocab))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shape", choices=list(SHAPES), help="the options of one of curex's benchmark shapes")
    p.add_argument("--glibc-malloc-defaults", action="store_true",
                   help="leave glibc's malloc thresholds as they are (default: raised, see peer_malloc.py)")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--seq", type=int, default=21)
    p.add_argument("--d-model", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--norm", default="pre", choices=["pre", "post"])
    p.add_argument("--head", default="cls", choices=["cls", "mlm"])
    p.add_argument("--vocab", type=int, default=None, help="default 3 for --head cls, 8 for --head mlm")
    p.add_argument("--classes", type=int, default=2)
    p.add_argument("--full-last-block", action="store_true",
                   help="run the last block and the head on every position (default: after attention, only on the "
                        "read-out rows, as curex does: the last position, or the labelled ones)")
    p.add_argument("--no-shared-pairs", action="store_true",
                   help="embed every position and project the first block's input at every position (default: once "
                        "per distinct (token, position) pair of the batch, as curex does)")
    p.add_argument("--no-folded-keys", action="store_true",
                   help="cls: the last block's attention forms keys and values at every position (default: folded "
                        "into its one query, as curex does)")
    p.add_argument("--labelled", type=float, default=0.24,
                   help="mlm: fraction of positions labelled (0.24: curex's PCFG batches, 16.8 masked of 70.3 padded)")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--seconds", type=float, default=None, help="time windows of this many seconds instead of --steps")
    p.add_argument("--json", action="store_true", help="also print one JSON line per thread count")
    p.add_argument("--turns", action="store_true", help="serve timed windows on request (see the module docstring)")
    shape = p.parse_known_args()[0].shape
    if shape is not None:
        p.set_defaults(**SHAPES[shape])   # options given beside --shape still win
    a = p.parse_args()
    # before the first tensor: glibc reads the thresholds as it grows the heap
    a.malloc = peer_malloc.setup(a.glibc_malloc_defaults)
    if a.vocab is None:
        a.vocab = 3 if a.head == "cls" else 8
    if a.turns:
        serve_turns(a)
        return
    _, n_params = make_step(a)
    flops = matmul_flops(a)
    shape = (f"batch {a.batch} seq {a.seq} d {a.d_model} heads {a.heads} layers {a.layers} {a.norm}-LN "
             f"head {a.head} vocab {a.vocab}" + (f" classes {a.classes}" if a.head == "cls" else ""))
    blas, lib = blas_library(), openblas()
    core = f" (OpenBLAS core {lib.openblas_get_corename().decode()})" if lib is not None else ""
    print(f"# malloc {a.malloc}; BLAS {blas}{core}")
    if lib is None and blas and "/blas/" in blas:
        print("# WARNING: the reference BLAS is loaded; install libopenblas0-openmp for meaningful timings")
    if (lib is not None and "openblas-pthread" in blas and "OMP_WAIT_POLICY" not in os.environ
            and max(map(int, a.threads.split(","))) > 1):
        print("# WARNING: pthread OpenBLAS with OpenMP spinning threads; set OMP_WAIT_POLICY=passive above 1 thread")
    print(f"# torch {torch.__version__}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')} "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}; {n_params} parameters; "
          f"~{flops / 1e9:.3f} GFLOP/step (matmuls)")
    print("shape threads steps/s GFLOP/s")
    for t in map(int, a.threads.split(",")):
        sps, rates = steps_per_second(a, t)
        print(f"{shape} | threads {t} | {sps:.3g} steps/s | {sps * flops / 1e9:.1f} GFLOP/s")
        if a.json:
            print(json.dumps({
                "bench": "torch_transformer_step", "torch": torch.__version__, "batch": a.batch, "seq": a.seq,
                "d_model": a.d_model, "heads": a.heads, "layers": a.layers, "norm": a.norm, "head": a.head,
                "vocab": a.vocab, "classes": a.classes if a.head == "cls" else None, "threads": t,
                "steps_per_s": round(sps, 3), "repeats": [round(r, 3) for r in rates],
                "gflops_per_s": round(sps * flops / 1e9, 2), "params": n_params, "blas": blas}))


if __name__ == "__main__":
    main()
