#!/usr/bin/env bash
# Times curex's and PyTorch's transformer training step side by side, interleaved, on the same shapes and threads.
#
# Usage: bench/scripts/side_by_side.sh [rounds (default 2)] [shapes (default "parity pcfg-student pcfg-teacher")]
#        [threads (default "1 2")]
# Each round runs, for every shape and thread count, curex's TransformerStepBench (JMH, one fork, 5 warm-up and 5
# measured iterations of 2 s) and then bench/scripts/torch_transformer_step.py on the same step (3 windows of 3 s,
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset so that OpenBLAS picks its best kernel). Both sides report the median
# of their measured windows (curex's JMH mean is printed last, for reference), so that one window slowed by another
# job weighs the same on both sides. Five warm-up iterations: the parity step's JIT warm-up ran at 0.4, 6.4, 10.2,
# 12.7 and 13.0 steps/s, so that a third warm-up iteration can leave the first measured one short of steady state.
# Interleaving keeps both sides under the same machine conditions: on a shared or throttled machine, figures taken
# minutes apart can differ by more than the ratio being measured. Prints one line per pair: round, shape, threads,
# curex steps/s, PyTorch steps/s, ratio. PyTorch is Debian's python3-torch in /usr/bin/python3 (see
# torch_transformer_step.py for its BLAS; its --shape gives the same shapes).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
ROUNDS="${1:-2}"
SHAPES="${2:-parity pcfg-student pcfg-teacher}"
THREADS="${3:-1 2}"
TORCH=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$ROOT/bench/scripts/torch_transformer_step.py")

for shape in $SHAPES; do   # curex.bench.TransformerStep's shapes, also torch_transformer_step.py's --shape
    case "$shape" in
        parity | pcfg-student | pcfg-teacher) ;;
        *) echo "unknown shape $shape (parity, pcfg-student, pcfg-teacher)" >&2; exit 2 ;;
    esac
done

LOG="$(mktemp)"
JSON="$(mktemp)"
trap 'rm -f "$LOG" "$JSON"' EXIT
printf '%-6s %-13s %-7s %-13s %-15s %-6s %s\n' round shape threads curex_steps/s pytorch_steps/s ratio curex_mean
for round in $(seq 1 "$ROUNDS"); do
    for shape in $SHAPES; do
        for threads in $THREADS; do
            "$ROOT/bench/run" TransformerStepBench -p shape="$shape" -p threads="$threads" \
                -f 1 -wi 5 -i 5 -w 2 -r 2 -rf json -rff "$JSON" >"$LOG" 2>&1 || true
            curex=$(python3 -c "import json, statistics, sys; r = json.load(open(sys.argv[1]))[0]['primaryMetric']; \
print(f\"{statistics.median(x for fork in r['rawData'] for x in fork):.3f} {r['score']:.3f}\")" "$JSON" \
                2>/dev/null || true)
            read -r curex curex_mean <<<"$curex"
            if [[ -z "$curex" ]]; then cat "$LOG" >&2; echo "curex's benchmark gave no result" >&2; exit 1; fi
            torch=$("${TORCH[@]}" --shape "$shape" --threads "$threads" --seconds 3 --warmup 3 --json \
                | python3 -c "import json, sys; \
print([json.loads(l) for l in sys.stdin if l.startswith('{')][0]['steps_per_s'])")
            ratio=$(python3 -c "print(f'{$curex / $torch:.2f}')")
            printf '%-6s %-13s %-7s %-13s %-15s %-6s %s\n' "$round" "$shape" "$threads" "$curex" "$torch" "$ratio" \
                "$curex_mean"
        done
    done
done
