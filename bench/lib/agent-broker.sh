# Sourced by bench/agent-overhead.sh and bench/agent-overhead-ab.sh: a local nats-server (JetStream) and this build's
# `dmaslip serve` (which creates the stream) in a temporary folder, stopped with everything in `pids` on exit.
# Needs: root, port (NATS; serve's HTTP is port + 1), work_prefix.
cli="$root/src/DmaSlip.Cli/bin/Release/net10.0/dmaslip"
work="$(mktemp -d "/tmp/$work_prefix.XXXXXX")"
http=$((port + 1))
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
nats-server -a 127.0.0.1 -p "$port" -js -sd "$work/js" > "$work/nats.log" 2>&1 & pids+=($!)
sleep 1
"$cli" serve --nats "nats://127.0.0.1:$port" --urls "http://127.0.0.1:$http" --db "$work/serve.duckdb" > "$work/serve.log" 2>&1 & pids+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$http/healthz" > /dev/null && break; sleep 1; done
