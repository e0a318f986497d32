#!/usr/bin/env bash
# The live agent's own cost on this machine (issue 18; figures in docs/PERFORMANCE.md "Live agent overhead").
# usage: bench/agent-overhead.sh [SECONDS] [INTERVAL_MS]   (defaults: 300 s at the agent's default 100 ms cadence)
# Starts a local nats-server (JetStream) and `dmaslip serve` (which creates the stream), then `dmaslip agent
# --source live` for SECONDS; reads the agent's utime+stime and VmRSS/VmHWM from /proc/PID every 10 s. Prints one
# CSV row per reading and a summary: CPU as % of one core over the whole run, peak and final RSS (MiB).
# Needs nats-server on PATH and a Release build (dotnet build src/DmaSlip.Cli -c Release).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-300}"; interval="${2:-100}"
cli="$root/src/DmaSlip.Cli/bin/Release/net10.0/dmaslip"
work="$(mktemp -d /tmp/dmaslip-agent-overhead.XXXXXX)"
port=24390; http=24391
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
nats-server -a 127.0.0.1 -p "$port" -js -sd "$work/js" > "$work/nats.log" 2>&1 & pids+=($!)
sleep 1
"$cli" serve --nats "nats://127.0.0.1:$port" --urls "http://127.0.0.1:$http" --db "$work/serve.duckdb" > "$work/serve.log" 2>&1 & pids+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$http/healthz" > /dev/null && break; sleep 1; done
"$cli" agent --nats "nats://127.0.0.1:$port" --host bench-host --pool bench --source live --interval "$interval" \
  --duration "$secs" --json > "$work/agent.json" 2> "$work/agent.err" & agent=$!; pids+=($agent)
tck=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$agent/stat"; }
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$agent/status"; }
sleep 5 # start-up (JIT, probe, connect) is not the steady state
t0=$(date +%s.%N); c0=$(cpu)
echo "elapsed_s,cpu_pct_of_one_core,rss_mib,hwm_mib"
while kill -0 "$agent" 2>/dev/null; do
  sleep 10
  kill -0 "$agent" 2>/dev/null || break
  t=$(date +%s.%N); c=$(cpu); rss=$(kb VmRSS); hwm=$(kb VmHWM)
  awk -v t="$t" -v t0="$t0" -v c="$c" -v c0="$c0" -v hz="$tck" -v r="$rss" -v h="$hwm" \
    'BEGIN { printf "%.0f,%.3f,%.1f,%.1f\n", t - t0, 100 * (c - c0) / hz / (t - t0), r / 1024, h / 1024 }'
  last_t=$t; last_c=$c; last_rss=$rss; last_hwm=$hwm
done
wait "$agent" || true
awk -v t="$last_t" -v t0="$t0" -v c="$last_c" -v c0="$c0" -v hz="$tck" -v r="$last_rss" -v h="$last_hwm" -v i="$interval" \
  'BEGIN { printf "summary: %.0f s at %d ms: agent CPU %.3f %% of one core, RSS %.1f MiB (peak %.1f MiB)\n", t - t0, i, 100 * (c - c0) / hz / (t - t0), r / 1024, h / 1024 }'
echo "agent report: $(cat "$work/agent.json")"
echo "regimes: $(curl -s "http://127.0.0.1:$http/api/regimes")"
