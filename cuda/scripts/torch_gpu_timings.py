"""PyTorch on the GPU for the device check: gemm TFLOP/s and training steps/s at the shapes GpuTimings uses.

Prints `gemm M N K TFLOPS` and `step NAME STEPS_PER_SECOND` lines, FP32 with TF32 off (as curex by default).
Usage: python3 cuda/scripts/torch_gpu_timings.py   (from the repository root)
"""
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench", "scripts"))
from golden_transformer import TinyBert  # noqa: E402  the model of the CPU comparison (torch_transformer_step.py)

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
dev = torch.device("cuda")

GEMMS = [(1024, 1024, 1024), (4096, 4096, 4096), (256, 1000, 100), (256, 100, 1000), (100, 1000, 256),
         (256, 10000, 100), (256, 100, 10000), (100, 10000, 256)]


def gemm_tflops(m, n, k):
    a = torch.rand(m, k, device=dev) * 2 - 1
    b = torch.rand(k, n, device=dev) * 2 - 1
    c = torch.empty(m, n, device=dev)
    flops = 2.0 * m * n * k
    reps = int(max(3, min(2000, 2e11 / flops)))
    best = 0.0
    for w in range(6):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.matmul(a, b, out=c)
        torch.cuda.synchronize()
        if w > 0:
            best = max(best, flops * reps / (time.perf_counter() - t0) / 1e12)
    return best


def steps_per_second(step):
    for _ in range(20):
        step()
    torch.cuda.synchronize()
    best = 0.0
    for _ in range(5):
        t0 = time.perf_counter()
        n = 0
        while time.perf_counter() - t0 < 1.0:
            step()
            n += 1
        torch.cuda.synchronize()
        best = max(best, n / (time.perf_counter() - t0))
    return best


def mlp_step(n, hidden, batch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(n, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 2)).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.0)
    x = (torch.randint(0, 2, (batch, n), device=dev).float() * 2 - 1)
    y = torch.randint(0, 2, (batch,), device=dev)

    def step():
        opt.zero_grad(set_to_none=False)
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return step


def transformer_step(batch=128, seq=21, d=128, heads=4, layers=2):
    torch.manual_seed(0)
    model = TinyBert(vocab=3, max_pos=seq, d=d, heads=heads, hidden=4 * d, layers=layers, norm="pre", head="cls",
                     classes=2).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.95), weight_decay=0.0)
    ids = torch.randint(0, 3, (batch, seq), device=dev)
    mask = torch.ones(batch, seq, dtype=torch.long, device=dev)
    y = torch.randint(0, 2, (batch,), device=dev)

    def step():
        opt.zero_grad(set_to_none=False)
        F.cross_entropy(model(ids, mask), y).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    return step


def main():
    print(f"# torch {torch.__version__}, {torch.cuda.get_device_name(0)}, tf32 off")
    for m, n, k in GEMMS:
        print(f"gemm {m} {n} {k} {gemm_tflops(m, n, k):.2f}", flush=True)
    print(f"step mlp-100-1000-2 {steps_per_second(mlp_step(100, 1000, 256)):.1f}", flush=True)
    print(f"step mlp-100-10000-2 {steps_per_second(mlp_step(100, 10000, 256)):.1f}", flush=True)
    print(f"step parity-teacher-B128-T21-d128-h4-l2 {steps_per_second(transformer_step()):.1f}", flush=True)


if __name__ == "__main__":
    main()
