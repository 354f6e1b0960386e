#!/usr/bin/env bash
# Prepares the GPU check on a CPU machine: builds the jars and a jlink'd JDK 25 into .device/ (under 64 MiB).
#
# Then, on the GPU machine (no Java there; CUDA 13 driver; NVRTC and cuBLAS in PyTorch's nvidia/*/lib):
#   cuda/scripts/on-device.sh            # writes test results, timings and a comparison to $OUT
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../scripts/java.sh
source "$root/scripts/java.sh"
java="$(find_java)"
jdk="$(dirname "$(dirname "$(readlink -f "$java")")")"
[[ -x "$jdk/bin/jlink" && -x "$jdk/bin/jdeps" ]] || die "$jdk has no jlink/jdeps (a JRE?); set JAVA_HOME to a JDK $MIN_JAVA"
cd "$root"
out=.device
console_version=1.14.4   # junit-platform-console-standalone matching junit-jupiter 5.14.4
console="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$console_version/junit-platform-console-standalone-$console_version.jar"

echo "building jars ..." >&2
mvn -q -B -ntp -DskipTests package -pl cli,cuda -am
[[ -f "$console" ]] || mvn -q -B -ntp dependency:get -Dartifact="org.junit.platform:junit-platform-console-standalone:$console_version" >/dev/null

rm -rf "$out"
mkdir -p "$out/lib" "$out/test"
cp cli/target/curex.jar "$console" "$out/lib/"
# The cuda tests run against curex.jar (kernels, engine, cuda and their libraries, shaded) plus the two test jars;
# JUnit itself comes with the console launcher.
cp cuda/target/curex-cuda-*-tests.jar kernels/target/curex-kernels-*-tests.jar "$out/test/"

# The runtime: what jdeps finds in the jars plus what curex needs at run time, without java.desktop (only the
# comparison's plots use it: on the device, compare.json and report.md are written, the PNG plots are not) and
# java.sql (Jackson's optional java.sql.Date support, unused; it pulls in java.xml).
found="$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 -q "$out"/lib/curex.jar "$out"/test/*.jar 2>/dev/null || true)"
echo "jdeps: ${found:-?}" >&2
modules="java.base,jdk.incubator.vector,java.management,jdk.unsupported,java.logging,java.xml,jdk.zipfs"   # java.xml, jdk.zipfs: the JUnit console (XML reports, scanning jars)
for m in ${found//,/ }; do
  case "$m" in java.desktop|java.datatransfer|java.sql) ;; *) [[ ",$modules," == *",$m,"* ]] || modules="$modules,$m" ;; esac
done
echo "jlink: $modules" >&2
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress zip-9 \
    --output "$out/jdk"
size="$(du -sm "$out" | cut -f1)"
echo "$out: ${size} MiB (jdk $(du -sm "$out/jdk" | cut -f1), lib $(du -sm "$out/lib" | cut -f1), test $(du -sm "$out/test" | cut -f1))" >&2
[[ "$size" -lt 64 ]] || die "$out is ${size} MiB, over the 64 MiB a device check may carry"
