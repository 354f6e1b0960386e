#!/usr/bin/python3
"""Times one MLP training step (forward + backward + AdamW) in PyTorch CPU, to compare with TrainStepBench.

Usage: /usr/bin/python3 bench/scripts/torch_train_step.py [--n 100] [--hidden 1000,10000] [--threads 1,2]
Debian's python3-torch (apt-get install python3-torch) lives in /usr/bin/python3. glibc's malloc thresholds are
raised first (peer_malloc.py) unless --glibc-malloc-defaults.
"""
import argparse
import time

import torch

import peer_malloc


def steps_per_second(n, hidden, batch, threads, seconds):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(n, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 2))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.0)
    x = torch.randint(0, 2, (batch, n)).float() * 2 - 1
    y = torch.randint(0, 2, (batch,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(20):
        step()
    best = 0.0
    for _ in range(5):  # best of five windows, like JMH's iterations
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            step()
            count += 1
        best = max(best, count / (time.perf_counter() - start))
    return best


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--hidden", default="1000,10000")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--glibc-malloc-defaults", action="store_true",
                   help="leave glibc's malloc thresholds as they are (default: raised, see peer_malloc.py)")
    a = p.parse_args()
    malloc = peer_malloc.setup(a.glibc_malloc_defaults)
    print(f"torch {torch.__version__}, malloc {malloc}, batch {a.batch}, n {a.n}")
    print("hidden threads steps/s GFLOP/s")
    for h in map(int, a.hidden.split(",")):
        flops = 3 * 2 * a.batch * (a.n * h + h * 2) - 2 * a.batch * a.n * h  # no input gradient
        for t in map(int, a.threads.split(",")):
            sps = steps_per_second(a.n, h, a.batch, t, a.seconds)
            print(f"{h} {t} {sps:.1f} {sps * flops / 1e9:.1f}")


if __name__ == "__main__":
    main()
