#!/usr/bin/env bash
# Runs the GPU check on the GPU machine from what cuda/scripts/device-check.sh put in .device/; results go to $OUT.
#
# Needs: .device/ (carried from the build machine), an NVIDIA driver, python3 with torch (its wheels hold NVRTC and
# cuBLAS in nvidia/*/lib). Writes $OUT/: junit/ (XML reports), tests.txt, info.txt, gemm-and-steps.txt (curex),
# torch.txt (PyTorch), compare/ and compare.txt (with the wall time), summary.txt. About 8 minutes at most.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
OUT="${OUT:-$root/device-out}"
mkdir -p "$OUT"
java=.device/jdk/bin/java
flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx16g)
[[ -x "$java" ]] || { echo "no $java: run cuda/scripts/device-check.sh on the build machine first" >&2; exit 1; }

# NVRTC and cuBLAS from the PyTorch wheels, first on the search (curex also finds them on its own).
if [[ -z "${CUREX_CUDA_LIB:-}" ]]; then
  CUREX_CUDA_LIB="$(python3 - <<'PY' 2>/dev/null
import glob, os, site, sys
roots = site.getsitepackages() + [site.getusersitepackages()] + sys.path
libs = []
for r in roots:
    for d in sorted(glob.glob(os.path.join(r, "nvidia", "*", "lib"))):
        if d not in libs:
            libs.append(d)
print(":".join(libs))
PY
)"
  export CUREX_CUDA_LIB
fi
export CUREX_CUDA_CACHE="$OUT/kernel-cache"
summary="$OUT/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }
section() {   # section NAME SECONDS COMMAND...: runs with a time limit, logs to $OUT/NAME.txt, notes exit and time
  local name="$1" limit="$2"; shift 2
  local t0=$SECONDS
  timeout --signal=TERM --kill-after=10 "$limit" "$@" > "$OUT/$name.txt" 2>&1
  local rc=$?
  note "$name: exit $rc, $((SECONDS - t0)) s (limit $limit s)"
}

note "CUREX_CUDA_LIB=$CUREX_CUDA_LIB"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >> "$summary" 2>&1 || true
section info 60 "$java" "${flags[@]}" -jar .device/lib/curex.jar info --backend cuda

# 1. The backend suites, the training parity and the rest of the cuda tests (JUnit console launcher).
section tests 200 "$java" "${flags[@]}" -jar .device/lib/junit-platform-console-standalone-*.jar execute \
    --class-path ".device/lib/curex.jar:.device/test/curex-cuda-0.1.0-SNAPSHOT-tests.jar:.device/test/curex-kernels-0.1.0-SNAPSHOT-tests.jar" \
    --select-package curex.cuda --reports-dir "$OUT/junit" --details summary --disable-banner
tail -n 25 "$OUT/tests.txt" >> "$summary"

# 2. gemm TFLOP/s and training steps per second: curex, then PyTorch (FP32, TF32 off on both sides).
section gemm-and-steps 100 "$java" "${flags[@]}" \
    -cp ".device/lib/curex.jar:.device/test/curex-cuda-0.1.0-SNAPSHOT-tests.jar" curex.cuda.GpuTimings
section torch 100 python3 cuda/scripts/torch_gpu_timings.py
grep -h -v '^#' "$OUT/gemm-and-steps.txt" | sed 's/^/curex /' >> "$summary"
grep -h -v '^#' "$OUT/torch.txt" | sed 's/^/torch /' >> "$summary"

# 3. A whole comparison on the GPU, with its wall time (no PNG plots: the runtime has no java.desktop).
section compare 150 "$java" "${flags[@]}" -jar .device/lib/curex.jar compare --preset quick --backend cuda \
    --seeds 3 --out "$OUT/compare"
tail -n 15 "$OUT/compare.txt" >> "$summary"
cat "$summary"
