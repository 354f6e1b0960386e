#!/usr/bin/python3
"""Trains the parity-tf transformer in PyTorch CPU with curex's default settings, to compare convergence with
`curex train --task parity-tf`.

Usage:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/scripts/torch_parity_tf.py \
      [--init torch|bert] [--seed 0] [--steps 2000] [--n 20] [--k 3] [--threads 1]

The model is golden_transformer.py's TinyBert (pre-LN, 2 blocks, d 128, 4 heads, MLP 512, classifier at the last
position); the data: n bits as tokens 0/1 then a CLS token (2), label = parity of k coordinates drawn at random from the
seed (--first-k: the first k, as curex does); batch 128, AdamW lr 3e-3, betas (0.9, 0.95), weight decay 0, 100 linear
warmup steps, gradient clipping at 1; 4096 held-out samples evaluated every 100 steps. --init torch keeps PyTorch's
module defaults; --init bert redraws every matrix and embedding from N(0, 0.02) with zero biases. Stops at 99%.
"""
import argparse
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_transformer import TinyBert  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--init", default="torch", choices=["torch", "bert"])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--n", type=int, default=20)
    p.add_argument("--k", type=int, default=3)
    p.add_argument("--first-k", action="store_true", help="the label is the parity of the first k coordinates")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = TinyBert(vocab=3, max_pos=a.n + 1, d=128, heads=4, hidden=512, layers=2, norm="pre", head="cls", classes=2)
    if a.init == "bert":
        for name, q in model.named_parameters():
            if q.dim() > 1:
                nn.init.normal_(q, 0, 0.02)
            elif "LayerNorm" in name and name.endswith("weight"):
                nn.init.ones_(q)
            else:
                nn.init.zeros_(q)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.95), weight_decay=0.0)
    warmup = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100))
    g = torch.Generator().manual_seed(1000 + a.seed)
    support = torch.arange(a.k) if a.first_k else torch.randperm(a.n, generator=g)[:a.k]

    def draw(b):
        x = torch.randint(0, 2, (b, a.n), generator=g)
        return torch.cat([x, torch.full((b, 1), 2)], 1), x[:, support].sum(1) % 2

    held_x, held_y = draw(4096)
    mask, held_mask = torch.ones(128, a.n + 1, dtype=torch.long), torch.ones(4096, a.n + 1, dtype=torch.long)
    print(f"# init {a.init}, seed {a.seed}, support {support.tolist()}")
    start = time.time()
    for step in range(1, a.steps + 1):
        ids, y = draw(128)
        loss = F.cross_entropy(model(ids, mask), y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        warmup.step()
        if step % 100 == 0:
            with torch.no_grad():
                acc = (model(held_x, held_mask).argmax(-1) == held_y).float().mean().item()
            print(f"step {step} loss {loss.item():.4f} held-out accuracy {acc:.4f} ({time.time() - start:.0f} s)",
                  flush=True)
            if acc >= 0.99:
                break


if __name__ == "__main__":
    main()
