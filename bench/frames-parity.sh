#!/usr/bin/env bash
# Frame parity and cost, end to end (docs/PERFORMANCE.md "Frame parity"): simulate a day, ingest its real-format
# files, compute frames with `features`, and compare them with the simulator's own frames (truth/host_frames.parquet).
#   bench/frames-parity.sh [--scenario NAME|FILE] [--seed N] [--hosts N] [--minutes M] [--out DIR]
# Defaults: the acceptance day of issue 17 (storm, 4 hosts, 20 minutes, seed 4711). Full day:
#   bench/frames-parity.sh --scenario bench/scenarios/storm-day390.yaml --seed 4711 --minutes 390
# Prints wall time and peak RSS of each stage (GNU time) and the parity JSON (coverage, per-column error, DFI/DJS/PSO
# in storm and calm windows on both frame sets).
set -euo pipefail
scenario=storm seed=4711 hosts=4 minutes=20 out=/tmp/dmaslip-frames-parity
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) scenario=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
[ "${SKIP_BUILD:-0}" = 1 ] || dotnet build "$root/src/DmaSlip.Cli" -c Release -v q -nologo >/dev/null
bin="$root/src/DmaSlip.Cli/bin/Release/net10.0/dmaslip"
rm -rf "$out" && mkdir -p "$out"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1 /proc/loadavg)"
sim_args=(--scenario "$scenario" --seed "$seed" --out "$out/sim")
[ -n "$hosts" ] && sim_args+=(--hosts "$hosts")
[ -n "$minutes" ] && sim_args+=(--minutes "$minutes")
stage() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "$name: %e s wall, %M KB peak RSS" -o "$out/$name.time" "$@"
  cat "$out/$name.time" >&2
}
stage simulate "$bin" simulate "${sim_args[@]}" --json > "$out/simulate.json"
echo "folder: $(du -sh "$out/sim" | cut -f1), $(find "$out/sim/hosts" -type f | wc -l) host files"
stage ingest "$bin" ingest "$out/sim" --db "$out/day.duckdb" --json > "$out/ingest.json"
stage features "$bin" features --db "$out/day.duckdb" --parity --json > "$out/parity.json"
python3 - "$out/parity.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = d["parity"]
print(f"frames {p['our_rows']:,} of truth {p['truth_rows']:,}; matched {p['matched']:,} = coverage {p['coverage']:.4%}")
print("| column | truth filled | ours filled | both | median rel. error | p90 rel. error | median abs. error |")
print("|---|---|---|---|---|---|---|")
f = lambda v: "—" if v is None else f"{v:.2%}"
for c in p["columns"]:
    a = "—" if c["median_absolute_error"] is None else f"{c['median_absolute_error']:.4g}"
    print(f"| `{c['column']}` | {c['truth_filled']:,} | {c['ours_filled']:,} | {c['both']:,} | {f(c['median_relative_error'])} | {f(c['p90_relative_error'])} | {a} |")
print("| frames | state | n | mean DFI | DFI ≥ 50 | mean DJS (n) | mean PSO (n) |")
print("|---|---|---|---|---|---|---|")
for k in ("ours", "truth"):
    for s in d["separation"][k]:
        djs = "—" if s["mean_djs"] is None else f"{s['mean_djs']:.3f} ({s['djs_frames']:,})"
        pso = "—" if s["mean_pso"] is None else f"{s['mean_pso']:.3f} ({s['pso_frames']:,})"
        print(f"| {k} | {s['state']} | {s['frames']:,} | {s['mean_dfi']:.1f} | {s['share_dfi_above50']:.1%} | {djs} | {pso} |")
PY
