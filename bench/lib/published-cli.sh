# shellcheck shell=bash
# Shared by bench/ingest-vs-duckdb.sh and bench/bulk-formats-vs-duckdb.sh: measures the CLI as it is deployed, published
# ReadyToRun (framework-dependent) into $DMASLIP_BENCH_CLI_DIR (default /tmp/dmaslip-bench-cli), unless DMASLIP_CLI
# names another build; then builds DmaSlip.Benchmarks and runs the named bench with the remaining arguments.
# usage (from the repository root): run_published_bench BENCH [ARGS...]
run_published_bench() {
  local bench="$1"
  shift
  if [ -z "${DMASLIP_CLI:-}" ]; then
    local out="${DMASLIP_BENCH_CLI_DIR:-/tmp/dmaslip-bench-cli}"
    dotnet publish src/DmaSlip.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
      -o "$out" -nologo -v q >/dev/null
    export DMASLIP_CLI="$out/dmaslip"
  fi
  dotnet build bench/DmaSlip.Benchmarks -c Release -v q -nologo >/dev/null
  exec dotnet bench/DmaSlip.Benchmarks/bin/Release/net10.0/DmaSlip.Benchmarks.dll "$bench" "$@"
}
