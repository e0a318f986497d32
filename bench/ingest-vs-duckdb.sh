#!/usr/bin/env bash
# Issue 21: our ingest end to end (dmaslip ingest of a perf-script file) vs the DuckDB SQL peer (read_csv +
# regexp_extract into a table), same file, one run; prints both times, the ratio, peak RSS and the load average.
#   bench/ingest-vs-duckdb.sh                 # 2,000,000 lines, 3 runs each (~1 minute on an idle machine)
#   bench/ingest-vs-duckdb.sh --gb 5 --reps 1 # a 5 GB file under /tmp, deleted at the end (~5 minutes idle)
# The CLI is measured as it is deployed: published ReadyToRun (framework-dependent) into $DMASLIP_BENCH_CLI_DIR
# (default /tmp/dmaslip-bench-cli), like scripts/publish-agent.sh does self-contained. DMASLIP_CLI=PATH measures
# another build instead (e.g. src/DmaSlip.Cli/bin/Release/net10.0/dmaslip, the plain JIT build).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib/published-cli.sh
source bench/lib/published-cli.sh
run_published_bench ingest-vs-duckdb "$@"
