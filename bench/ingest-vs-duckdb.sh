#!/usr/bin/env bash
# Issue 21: our ingest end to end (dmaslip ingest of a perf-script file) vs the DuckDB SQL peer (read_csv +
# regexp_extract into a table), same file, one run; prints both times, the ratio and peak RSS.
#   bench/ingest-vs-duckdb.sh                 # 2,000,000 lines, 3 runs each
#   bench/ingest-vs-duckdb.sh --gb 5 --reps 1 # a 5 GB file
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/DmaSlip.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/DmaSlip.Benchmarks -c Release -v q -nologo >/dev/null
exec dotnet bench/DmaSlip.Benchmarks/bin/Release/net10.0/DmaSlip.Benchmarks.dll ingest-vs-duckdb "$@"
