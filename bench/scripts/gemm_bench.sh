#!/usr/bin/env bash
# Runs GemmBench and OpenBLAS sgemm shape by shape, alternating, and prints the GFLOP/s table.
# Usage: bench/scripts/gemm_bench.sh [out-dir]   (build first: mvn -q -B -pl bench -am package -DskipTests)
# Env: JAR (default bench/target/benchmarks.jar), JAVA (default java), JMH_OPTS (default short runs),
#      THREADS (default "1,2"), SHAPES (default: all "size:transposes" pairs below).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-runs/gemm-bench}
JAR=${JAR:-bench/target/benchmarks.jar}
JAVA=${JAVA:-java}
JMH_OPTS=${JMH_OPTS:-"-f 1 -wi 3 -i 5 -w 1 -r 1"}
THREADS=${THREADS:-1,2}
SHAPES=${SHAPES:-"1024x1024x1024:NN 256x256x256:NN 512x512x512:NN 2048x2048x2048:NN
  256x2000x100:NN 256x2000x100:NT 256x100x2000:NN 256x100x2000:NT 2000x100x256:NN 2000x100x256:TN
  256x1000x100:NN 256x1000x100:NT 1000x100x256:NN 1000x100x256:TN"}
mkdir -p "$OUT"
: > "$OUT/openblas.txt"
for s in $SHAPES; do
  size=${s%%:*} tr=${s##*:}
  # shellcheck disable=SC2086
  "$JAVA" -jar "$JAR" GemmBench $JMH_OPTS -p size="$size" -p transposes="$tr" -p threads="$THREADS" \
      -rf json -rff "$OUT/gemm-$size-$tr.json" > "$OUT/gemm-$size-$tr.log" 2>&1
  # OpenBLAS picks its kernel for this CPU only without the machine's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/scripts/openblas_sgemm.py --threads "$THREADS" \
      --only "$size:$tr" --min-time 0.3 >> "$OUT/openblas.txt"
  echo "done $size $tr" >&2
done
python3 bench/scripts/gemm_table.py "$OUT"/gemm-*.json --openblas "$OUT/openblas.txt"
