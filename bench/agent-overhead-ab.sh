#!/usr/bin/env bash
# Several live agents side by side, each its own build and environment (docs/PERFORMANCE.md "Live agent overhead":
# how each cut was measured). usage:
#   bench/agent-overhead-ab.sh SECONDS 'NAME|DMASLIP_BINARY|ENV=V,ENV=V|EXTRA AGENT ARGS' ...
# e.g. bench/agent-overhead-ab.sh 180 "main|/tmp/main/dmaslip||" "nospin|/tmp/main/dmaslip|DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0|"
# Starts a local nats-server (JetStream) and this build's `dmaslip serve`, runs every agent (`--source live`, default
# cadence, DOTNET_gcServer=0 DOTNET_TieredPGO=0 plus the given environment) for SECONDS, and prints each agent's CPU as %
# of one core from 20 s after start to 5 s before the end, the 1-minute load average, and each agent's report.
# Ports: DMASLIP_BENCH_PORT (default 42394) for NATS, +1 for serve's HTTP.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="$1"; shift
port="${DMASLIP_BENCH_PORT:-42394}"; work_prefix=dmaslip-agent-ab
# shellcheck source=bench/lib/agent-broker.sh
source "$root/bench/lib/agent-broker.sh"
names=(); agents=()
for spec in "$@"; do
  IFS='|' read -r name bin envs extra <<< "$spec"
  env_args=(DOTNET_gcServer=0 DOTNET_TieredPGO=0)
  if [[ -n "$envs" ]]; then IFS=',' read -r -a more <<< "$envs"; env_args+=("${more[@]}"); fi
  # shellcheck disable=SC2086 # EXTRA is a list of agent arguments
  env "${env_args[@]}" "$bin" agent --nats "nats://127.0.0.1:$port" --host "ab-$name" --pool bench --source live --duration "$secs" \
    $extra --json > "$work/ab-$name.json" 2> "$work/ab-$name.err" & agents+=($!); pids+=($!)
  names+=("$name")
done
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sleep 20
l0=$(cut -d' ' -f1 /proc/loadavg); c0=()
for a in "${agents[@]}"; do c0+=("$(cpu "$a")"); done
t0=$(date +%s.%N)
sleep $((secs - 25))
t1=$(date +%s.%N); tck=$(getconf CLK_TCK)
for i in "${!agents[@]}"; do
  awk -v n="${names[$i]}" -v a="${c0[$i]}" -v b="$(cpu "${agents[$i]}")" -v t0="$t0" -v t1="$t1" -v hz="$tck" \
    'BEGIN { printf "%s: %.3f %% of one core over %.0f s\n", n, 100 * (b - a) / hz / (t1 - t0), t1 - t0 }'
done
echo "load average $l0 -> $(cut -d' ' -f1 /proc/loadavg)"
for a in "${agents[@]}"; do wait "$a" || true; done
for n in "${names[@]}"; do echo "$n: $(tr -d ' \n' < "$work/ab-$n.json")"; done
