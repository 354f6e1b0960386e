#!/usr/bin/env python3
# Times OpenBLAS sgemm (through numpy) on the shapes of GemmBench, for comparison with curex's VectorGemm.
"""Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/scripts/openblas_sgemm.py [--threads 1,2]
       [--only 1024x1024x1024,256x2000x100:NT]

Prints one line per (shape, transposes, threads): GFLOP/s = 2*M*N*K / best time per call.
The thread count is set through threadpoolctl when it is installed, otherwise each count runs in a child
process started with OPENBLAS_NUM_THREADS. OPENBLAS_CORETYPE forces a kernel (e.g. Haswell, 256-bit); unset
it so OpenBLAS picks the kernel for this CPU; the header shows which one it uses.
"""
import argparse
import os
import subprocess
import sys
import time

SHAPES = [  # (size "MxNxK", transposes)
    ("256x256x256", "NN"), ("512x512x512", "NN"), ("1024x1024x1024", "NN"), ("2048x2048x2048", "NN"),
    ("256x2000x100", "NN"), ("256x2000x100", "NT"),
    ("256x100x2000", "NN"), ("256x100x2000", "NT"),
    ("2000x100x256", "NN"), ("2000x100x256", "TN"),
    ("256x1000x100", "NN"), ("256x1000x100", "NT"),
    ("1000x100x256", "NN"), ("1000x100x256", "TN"),
]


def operands(np, m, n, k, tr):
    """Row-major op(A) (m, k) and op(B) (k, n) stored as the transposes say, like GemmBench."""
    rng = np.random.default_rng(1)
    a = rng.standard_normal((k, m) if tr[0] == "T" else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if tr[1] == "T" else (k, n), dtype=np.float32)
    return (a.T if tr[0] == "T" else a), (b.T if tr[1] == "T" else b)


def time_one(np, size, tr, min_time):
    m, n, k = (int(x) for x in size.split("x"))
    a, b = operands(np, m, n, k, tr)
    c = np.empty((m, n), dtype=np.float32)
    for _ in range(3):
        np.matmul(a, b, out=c)
    reps = 1
    while True:  # calibrate so that one measurement takes ~min_time
        t = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        if time.perf_counter() - t > min_time / 5:
            break
        reps *= 2
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        best = min(best, (time.perf_counter() - t) / reps)
    return 2.0 * m * n * k / best / 1e9


def openblas_info():
    """(corename, threads) from the OpenBLAS numpy loaded, found among the process's shared libraries."""
    import ctypes
    libs = [line.split()[-1] for line in open("/proc/self/maps") if "openblas" in line and ".so" in line]
    for path in dict.fromkeys(libs):
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("scipy_openblas_", "64_"), ("openblas_", ""), ("scipy_openblas_", "")):
            try:
                core = getattr(lib, f"{prefix}get_corename{suffix}")
                nthr = getattr(lib, f"{prefix}get_num_threads{suffix}")
            except AttributeError:
                continue
            core.restype = ctypes.c_char_p
            return core().decode(), nthr()
    return "unknown", -1


def run_threads(threads, min_time, only):
    import numpy as np
    core, nthr = openblas_info()
    print(f"# OpenBLAS kernel: {core}, threads: {nthr}", flush=True)
    limiter = None
    try:
        from threadpoolctl import threadpool_limits, threadpool_info
        limiter = threadpool_limits(limits=threads, user_api="blas")
        info = [(d.get("internal_api"), d.get("version"), d.get("architecture"), d.get("num_threads"))
                for d in threadpool_info() if d.get("user_api") == "blas"]
        print(f"# threadpoolctl: {info}", flush=True)
    except ImportError:
        pass
    for size, tr in SHAPES:
        if only and size not in only and f"{size}:{tr}" not in only:
            continue
        g = time_one(np, size, tr, min_time)
        print(f"{size:>16} {tr} threads={threads} {g:8.1f} GFLOP/s", flush=True)
    if limiter is not None:
        limiter.restore_original_limits()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--min-time", type=float, default=0.5, help="seconds per measurement batch")
    p.add_argument("--only", default="", help="comma-separated sizes or size:transposes to run (default: all)")
    p.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args()
    only = [s for s in args.only.split(",") if s]
    if args.child:
        run_threads(args.child, args.min_time, only)
        return
    import numpy as np
    print(f"# numpy {np.__version__}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')}")
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        print(f"# blas: {cfg.get('name')} {cfg.get('version')} ({cfg.get('openblas configuration', '')})")
    except Exception:  # older numpy
        pass
    for t in (int(x) for x in args.threads.split(",")):
        # A child per thread count: OpenBLAS reads OPENBLAS_NUM_THREADS once, at load time.
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t))
        cmd = [sys.executable, __file__, "--child", str(t), "--min-time", str(args.min_time)]
        if only:
            cmd += ["--only", ",".join(only)]
        subprocess.run(cmd, env=env, check=True)


if __name__ == "__main__":
    main()
