#!/usr/bin/env bash
# Publishes the deployable agent: one self-contained file OUT/dmaslip for linux-x64 (no .NET SDK or runtime needed
# on the host; native libraries such as DuckDB's are inside and extracted on first start, see docs/FLEET.md
# "Installing the agent"). The same file runs every command (agent, serve, ingest, ...).
# Usage: scripts/publish-agent.sh OUT [RID]   (RID defaults to linux-x64)
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: scripts/publish-agent.sh OUT [RID]" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
rid="${2:-linux-x64}"
stage="$(mktemp -d -t dmaslip-agent.XXXXXX)"
trap 'rm -rf "$stage"' EXIT
dotnet publish "$root/src/DmaSlip.Cli/DmaSlip.Cli.csproj" -c Release -r "$rid" --self-contained \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:EnableCompressionInSingleFile=true \
  -p:DebugType=none -p:GenerateDocumentationFile=false -o "$stage" -nologo -v q -warnaserror >&2
extra="$(find "$stage" -type f ! -name dmaslip | head -5)"
if [ -n "$extra" ]; then
  echo "publish-agent: the publish left files beside the executable, so it is not single-file: $extra" >&2
  exit 1
fi
install -m 0755 "$stage/dmaslip" "$out/dmaslip"
echo "$out/dmaslip"
