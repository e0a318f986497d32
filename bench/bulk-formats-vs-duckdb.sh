#!/usr/bin/env bash
# Issue 21: our ingest end to end of counter streams (perf stat -I 100 -A -x, of N hosts) and of a LEAN tick day vs the
# DuckDB SQL peer (read_csv of the same files into a table), one run; prints both times, the ratio, peak RSS and load.
#   bench/bulk-formats-vs-duckdb.sh                                  # 32 hosts x 10 min, 1 M quotes, 2 runs each
#   bench/bulk-formats-vs-duckdb.sh --hosts 32 --minutes 5 --reps 3  # smaller
# The CLI is measured as deployed: published ReadyToRun (framework-dependent) into $DMASLIP_BENCH_CLI_DIR (default
# /tmp/dmaslip-bench-cli); DMASLIP_CLI=PATH measures another build. --baseline-cli PATH adds another build as a third side.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib/published-cli.sh
source bench/lib/published-cli.sh
run_published_bench bulk-formats "$@"
