#!/usr/bin/env bash
# The test command: installs what the tests need (idempotent), restores, builds with warnings as errors,
# and runs the whole suite. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests start or drive: NATS JetStream, Prometheus (+promtool), headless Chromium,
# the OpenMP runtime LightGBM's native library links against, fonts for chart rendering, and clang + zlib1g-dev
# (NativeAOT's linker driver and its zlib) for scripts/build-native.sh, whose C tests compile with cc (else clang).
need=()
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ldconfig -p 2>/dev/null | grep -q libgomp.so.1 || need+=(libgomp1)
ldconfig -p 2>/dev/null | grep -q libfontconfig.so.1 || need+=(libfontconfig1)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
command -v clang >/dev/null 2>&1 || need+=(clang)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "installing: ${need[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

dotnet restore DmaSlip.slnx
dotnet build DmaSlip.slnx -c Release --no-restore -warnaserror
# The projects run in parallel and their output interleaves; a failure is easy to lose in it, so the log is kept and
# every failed test is repeated, with its message and stack, at the very end.
log="$(mktemp -t dmaslip-test.XXXXXX.log)"
set +e
dotnet test DmaSlip.slnx -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
  echo
  echo "==================== failed tests (exit $rc) ===================="
  grep -n -A 40 -E '^\s+Failed [A-Za-z]|Test Run Aborted|The active test run was aborted|Test host process crashed' "$log" | head -n 400 || true
  grep -E 'Failed!|error ' "$log" || true
fi
rm -f "$log"
exit "$rc"
