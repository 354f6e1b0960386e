#!/usr/bin/env python3
# Turns GemmBench JMH JSON results (and optionally openblas_sgemm.py output) into a GFLOP/s table.
"""Usage: python3 bench/scripts/gemm_table.py gemm-*.json [--openblas openblas.txt]

For each (size, transposes, threads): curex GFLOP/s = 2*M*N*K / (JMH mean time per op), the best measured
iteration beside it (the machine may be shared, so the best iteration is the cleaner figure), OpenBLAS GFLOP/s
from the openblas_sgemm.py lines, and the ratio of the best iterations (curex / OpenBLAS). When a shape was
measured more than once (several files), the best of the runs is kept.
"""
import argparse
import json
import re


def flops(size):
    m, n, k = (int(x) for x in size.split("x"))
    return 2.0 * m * n * k


def load_jmh(paths):
    rows = {}
    for path in paths:
        with open(path) as f:
            for r in json.load(f):
                if not r["benchmark"].endswith("GemmBench.gemm"):
                    continue
                p = r["params"]
                key = (p["size"], p.get("transposes", "NN"), int(p["threads"]))
                unit = r["primaryMetric"]["scoreUnit"]  # us/op (or ms/op)
                scale = {"us/op": 1e-6, "ms/op": 1e-3, "ns/op": 1e-9, "s/op": 1.0}[unit]
                mean = flops(p["size"]) / (r["primaryMetric"]["score"] * scale) / 1e9
                iters = [t for fork in r["primaryMetric"]["rawData"] for t in fork]
                best = flops(p["size"]) / (min(iters) * scale) / 1e9
                old = rows.get(key)
                if old is None or best > old[1]:
                    rows[key] = (mean, best)
    return rows


def load_openblas(path):
    out = {}
    pat = re.compile(r"^\s*(\d+x\d+x\d+)\s+([NT]{2})\s+threads=(\d+)\s+([\d.]+) GFLOP/s")
    with open(path) as f:
        for line in f:
            m = pat.match(line)
            if m:
                key = (m.group(1), m.group(2), int(m.group(3)))
                out[key] = max(out.get(key, 0.0), float(m.group(4)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jmh", nargs="+", help="JMH result files (-rf json)")
    ap.add_argument("--openblas", help="output of openblas_sgemm.py (may hold several runs; best kept)")
    args = ap.parse_args()
    curex = load_jmh(args.jmh)
    blas = load_openblas(args.openblas) if args.openblas else {}
    print("| shape MxNxK | op | threads | curex GFLOP/s mean | curex best | OpenBLAS GFLOP/s | ratio (best) |")
    print("|---|---|---|---|---|---|---|")
    for key in sorted(curex, key=lambda k: (k[2], flops(k[0]) if k[0].count("x") else 0, k[0], k[1])):
        mean, best = curex[key]
        ob = blas.get(key)
        ratio = f"{best / ob:.2f}" if ob else "-"
        obs = f"{ob:.1f}" if ob else "-"
        print(f"| {key[0]} | {key[1]} | {key[2]} | {mean:.1f} | {best:.1f} | {obs} | {ratio} |")


if __name__ == "__main__":
    main()
