#!/usr/bin/python3
"""Times curex's and PyTorch's transformer training step in alternating turns of about a second each.

Usage: bench/scripts/step_turns.py [--shapes parity pcfg-student pcfg-teacher] [--threads 1 2] [--turns 40]
                                   [--window 1.0] [--warmup 12] [--verbose] [--python PATH]

For each shape and thread count it starts both sides once and keeps them alive: curex's step in
`bench/run --main curex.bench.StepTurns SHAPE THREADS` and PyTorch's in `bench/scripts/torch_transformer_step.py
--turns` (with --python, Debian's /usr/bin/python3 and its python3-torch by default, or the python of a virtual
environment with a PyTorch wheel; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset so that OpenBLAS picks its best
kernel). Each side warms up alone (curex --warmup seconds, for the JIT; PyTorch 10 steps and 3 seconds), and then
they take turns: one runs whole steps for --window seconds while the other waits on a pipe, using no CPU. The order
alternates from pair to pair (curex first, then PyTorch first), so that a machine slowing down or speeding up favours
neither. Each pair gives a ratio, curex's steps/s over PyTorch's from windows taken a second apart; the table gives
the medians of each side's windows and the median ratio with its quartiles.

On a machine shared with other work, whose speed changes from minute to minute, this separates the two
implementations better than whole runs one after the other (bench/scripts/side_by_side.sh): both sides see the same
conditions within seconds. It cannot undo a busy machine: if the other work slows one side more than the other, the
ratio is that of the busy machine.
"""
import argparse
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHAPES = ("parity", "pcfg-student", "pcfg-teacher")   # curex.bench.TransformerStep's, and the PyTorch script's --shape


class Side:
    """One side's process, speaking the turns protocol: 'run SECONDS' -> 'STEPS ELAPSED', 'quit'."""

    def __init__(self, name, command, env=None):
        self.name = name
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
                                     cwd=ROOT)
        self.header = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                sys.exit(f"{name} exited before it was ready (exit code {self.proc.wait()})")
            if line.strip() == "ready":
                break
            self.header.append(line.rstrip())

    def run(self, seconds):
        """Steps per second over one window of about `seconds`."""
        self.proc.stdin.write(f"run {seconds}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        try:
            steps, elapsed = line.split()
            return int(steps) / float(elapsed)
        except ValueError:
            sys.exit(f"{self.name} answered {line!r} (exit code {self.proc.poll()})")

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            self.header += [line.rstrip() for line in self.proc.stdout]
            self.proc.wait()


def quartiles(values):
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def measure(shape, threads, a):
    curex = Side("curex", [os.path.join(ROOT, "bench", "run"), "--main", "curex.bench.StepTurns", shape,
                           str(threads)])
    try:
        curex.run(a.warmup)   # the JIT compiles the step's kernels
        env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
        script = os.path.join(ROOT, "bench", "scripts", "torch_transformer_step.py")
        torch = Side("PyTorch", [a.python, script, "--shape", shape, "--threads", str(threads),
                                 "--warmup", "10", "--turns"], env=env)
        try:
            torch.run(3.0)
            rates = {"curex": [], "PyTorch": []}
            ratios = []
            for i in range(a.turns):
                pair = (curex, torch) if i % 2 == 0 else (torch, curex)
                got = {side.name: side.run(a.window) for side in pair}
                for name, rate in got.items():
                    rates[name].append(rate)
                ratios.append(got["curex"] / got["PyTorch"])
                if a.verbose:
                    print(f"  {shape} {threads} turn {i + 1}: curex {got['curex']:.3f} PyTorch {got['PyTorch']:.3f} "
                          f"ratio {ratios[-1]:.2f}", flush=True)
        finally:
            torch.close()
            for line in torch.header:
                print(line)
    finally:
        curex.close()
    q1, q3 = quartiles(ratios)
    return (statistics.median(rates["curex"]), statistics.median(rates["PyTorch"]), statistics.median(ratios), q1, q3,
            min(ratios), max(ratios))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=SHAPES)
    p.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    p.add_argument("--turns", type=int, default=40, help="pairs of windows per shape and thread count")
    p.add_argument("--window", type=float, default=1.0, help="seconds per window (whole steps: a slow step runs over)")
    p.add_argument("--warmup", type=float, default=12.0, help="seconds of curex steps before the first turn")
    p.add_argument("--verbose", action="store_true", help="print every pair")
    p.add_argument("--python", default="/usr/bin/python3",
                   help="the Python whose PyTorch to time (default Debian's, with python3-torch)")
    a = p.parse_args()
    if a.turns < 2 or a.window <= 0:
        p.error("--turns must be at least 2 and --window positive")
    rows = []
    for shape in a.shapes:
        for threads in a.threads:
            rows.append((shape, threads, *measure(shape, threads, a)))
            print(f"{shape} {threads} thread(s) done", file=sys.stderr, flush=True)
    print(f"\n{a.turns} pairs of {a.window:g} s windows per row; medians; ratio: median of the pairs' ratios "
          f"[quartiles] (min..max)")
    print("| shape | threads | curex steps/s | PyTorch steps/s | ratio |")
    print("|---|---:|---:|---:|---:|")
    for shape, threads, c, t, r, q1, q3, lo, hi in rows:
        print(f"| {shape} | {threads} | {c:.3g} | {t:.3g} | {r:.2f} [{q1:.2f}..{q3:.2f}] ({lo:.2f}..{hi:.2f}) |")


if __name__ == "__main__":
    main()
