#!/usr/bin/env bash
# The live agent's own cost on this machine (issue 18; figures in docs/PERFORMANCE.md "Live agent overhead").
# usage: bench/agent-overhead.sh [SECONDS] [INTERVAL_MS] [BASELINE_DMASLIP]
#   defaults: 300 s at the agent's default 100 ms cadence; no baseline.
# Starts a local nats-server (JetStream) and `dmaslip serve` (which creates the stream), then `dmaslip agent
# --source live` of this build for SECONDS — and, side by side in the same run (same load, same broker), the agent of
# BASELINE_DMASLIP (e.g. a copy of main's bin/Release/net10.0/dmaslip) under another host name. Reads each agent's
# utime+stime and VmRSS/VmHWM from /proc/PID every 10 s from 5 s after its start (JIT, probing and connecting are not
# the steady state). Prints one CSV row per reading and agent, then a summary per agent: CPU as % of one core over the
# run, peak and final RSS (MiB), and the 1-minute load average at start and end (other jobs share the machine).
# Both agents run with the environment of deploy/systemd/dmaslip-agent.service (its Environment= lines, read from the
# unit: DOTNET_gcServer=0, DOTNET_TieredPGO=0, DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0) and the agent's default
# --windows-per-message (one message per second of windows).
# Ports: DMASLIP_BENCH_PORT (default 42390) for NATS, +1 for serve's HTTP. Needs nats-server on PATH and a Release
# build (dotnet build src/DmaSlip.Cli -c Release).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-300}"; interval="${2:-100}"; baseline="${3:-}"
port="${DMASLIP_BENCH_PORT:-42390}"; work_prefix=dmaslip-agent-overhead
# shellcheck source=bench/lib/agent-broker.sh
source "$root/bench/lib/agent-broker.sh"
names=(current); bins=("$cli")
if [[ -n "$baseline" ]]; then names+=(baseline); bins+=("$baseline"); fi
unit_env=()
while IFS= read -r line; do unit_env+=("${line#Environment=}"); done < <(grep -E '^Environment=' "$root/deploy/systemd/dmaslip-agent.service")
echo "agent environment (from the unit): ${unit_env[*]}"
agents=()
for i in "${!names[@]}"; do
  env "${unit_env[@]}" "${bins[$i]}" agent --nats "nats://127.0.0.1:$port" --host "bench-${names[$i]}" --pool bench --source live --interval "$interval" \
    --duration "$secs" --json > "$work/agent-${names[$i]}.json" 2> "$work/agent-${names[$i]}.err" & agents+=($!); pids+=($!)
done
tck=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
load() { cut -d' ' -f1 /proc/loadavg; }
sleep 5
load0=$(load); t0=$(date +%s.%N)
declare -A c0 lt lc lr lh
for i in "${!names[@]}"; do c0[$i]=$(cpu "${agents[$i]}"); done
echo "agent,elapsed_s,cpu_pct_of_one_core,rss_mib,hwm_mib,load1"
while kill -0 "${agents[0]}" 2>/dev/null; do
  sleep 10
  for i in "${!names[@]}"; do
    a=${agents[$i]}
    kill -0 "$a" 2>/dev/null || continue
    t=$(date +%s.%N); c=$(cpu "$a"); rss=$(kb "$a" VmRSS); hwm=$(kb "$a" VmHWM)
    awk -v n="${names[$i]}" -v t="$t" -v t0="$t0" -v c="$c" -v c0="${c0[$i]}" -v hz="$tck" -v r="$rss" -v h="$hwm" -v l="$(load)" \
      'BEGIN { printf "%s,%.0f,%.3f,%.1f,%.1f,%s\n", n, t - t0, 100 * (c - c0) / hz / (t - t0), r / 1024, h / 1024, l }'
    lt[$i]=$t; lc[$i]=$c; lr[$i]=$rss; lh[$i]=$hwm
  done
done
load1=$(load)
for a in "${agents[@]}"; do wait "$a" || true; done
for i in "${!names[@]}"; do
  awk -v n="${names[$i]}" -v t="${lt[$i]}" -v t0="$t0" -v c="${lc[$i]}" -v c0="${c0[$i]}" -v hz="$tck" -v r="${lr[$i]}" -v h="${lh[$i]}" -v iv="$interval" -v l0="$load0" -v l1="$load1" \
    'BEGIN { printf "summary %s: %.0f s at %d ms: agent CPU %.3f %% of one core, RSS %.1f MiB (peak %.1f MiB); load average %s → %s\n", n, t - t0, iv, 100 * (c - c0) / hz / (t - t0), r / 1024, h / 1024, l0, l1 }'
  echo "agent report ${names[$i]}: $(cat "$work/agent-${names[$i]}.json")"
  grep -E "^live:" "$work/agent-${names[$i]}.err" || true
done
echo "regimes: $(curl -s "http://127.0.0.1:$http/api/regimes")"
