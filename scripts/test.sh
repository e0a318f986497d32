#!/usr/bin/env bash
# The test command: installs what the tests need (idempotent), restores, builds with warnings as errors,
# and runs the whole suite. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests start or drive: NATS JetStream, Prometheus (+promtool), headless Chromium,
# the OpenMP runtime LightGBM's native library links against, and fonts for chart rendering.
need=()
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ldconfig -p 2>/dev/null | grep -q libgomp.so.1 || need+=(libgomp1)
ldconfig -p 2>/dev/null | grep -q libfontconfig.so.1 || need+=(libfontconfig1)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "installing: ${need[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

dotnet restore DmaSlip.slnx
dotnet build DmaSlip.slnx -c Release --no-restore -warnaserror
dotnet test DmaSlip.slnx -c Release --no-build --logger "console;verbosity=normal" "$@"
