#!/usr/bin/env bash
# Publishes the regime controller as a NativeAOT shared library for C/C++ engines (docs/CONTROLLER.md, "From C and
# C++"): writes OUT/libdmaslip.so and OUT/dmaslip.h. Needs clang (the NativeAOT linker driver) and zlib1g-dev.
# Usage: scripts/build-native.sh OUT [RID]   (RID defaults to linux-x64)
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: scripts/build-native.sh OUT [RID]" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
rid="${2:-linux-x64}"
for tool in clang; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-native: '$tool' not found (apt-get install clang zlib1g-dev)" >&2; exit 3; }
done
stage="$(mktemp -d -t dmaslip-native.XXXXXX)"
trap 'rm -rf "$stage"' EXIT
dotnet publish "$root/src/DmaSlip.Native/DmaSlip.Native.csproj" -c Release -r "$rid" -o "$stage" -nologo -v q -warnaserror >&2
cp "$stage/libdmaslip.so" "$out/libdmaslip.so"
cp "$root/src/DmaSlip.Native/dmaslip.h" "$out/dmaslip.h"
echo "$out/libdmaslip.so"
echo "$out/dmaslip.h"
