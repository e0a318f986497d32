#!/usr/bin/env bash
# Update cost of the regime controller through the C ABI (libdmaslip.so) beside the managed update, in one run:
#   1. scripts/build-native.sh, then bench/native/update_bench.c compiled with cc -O2 against OUT/dmaslip.h and timed
#      (N million updates x REPS, beside a no-op called the same way);
#   2. RegimeControllerBenchmarks (BenchmarkDotNet, managed Update beside its no-op baseline) on the same config.
# Target (issue 22): <= 100 ns per update through the ABI. Figures go to docs/PERFORMANCE.md with the machine.
# Usage: bench/native-update.sh [N_MILLIONS=20] [REPS=5]      (SKIP_MANAGED=1 runs only the C side)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d -t dmaslip-native-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$root/scripts/build-native.sh" "$work/out" >/dev/null
cc -O2 -std=c11 -Wall -Wextra -Werror -I"$work/out" "$root/bench/native/update_bench.c" -L"$work/out" -ldmaslip -lm \
  -Wl,-rpath,"$work/out" -o "$work/update_bench"
echo "== C ABI (libdmaslip.so, NativeAOT) =="
"$work/update_bench" "$root/bench/native/bench-config.json" "${1:-20}" "${2:-5}"
if [ "${SKIP_MANAGED:-0}" != "1" ]; then
  echo "== managed (BenchmarkDotNet) =="
  # in-process: no per-benchmark project build (which times out on a loaded machine)
  dotnet run -c Release --project "$root/bench/DmaSlip.Benchmarks" -- --filter '*RegimeControllerBenchmarks*' --inProcess
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
