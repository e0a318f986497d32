#!/usr/bin/env bash
# The models' acceptance evaluation against the simulator's truth (issue 6; figures in docs/MODELS.md).
# usage: bench/models-sim-eval.sh [WORKDIR] [SEED...]   (default: a temp folder; seeds 21 23 25)
# Per seed: simulate the 60-minute storm day (bench/scenarios/storm-day60.yaml) → ingest → features → attribute →
# fit (in-day attribution, what `dmaslip fit` does). Then every ordered pair of seeds: the first day's models
# applied to the second day with `dmaslip fit --from` (held-out day: nothing refit). One CSV row per run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/dmaslip-models-eval.XXXXXX)}"
shift || true
seeds=("$@")
[ ${#seeds[@]} -eq 0 ] && seeds=(21 23 25)
dotnet build "$root/src/DmaSlip.Cli" -c Release -v quiet -nologo > /dev/null
cli=(dotnet "$root/src/DmaSlip.Cli/bin/Release/net10.0/dmaslip.dll")
mkdir -p "$work"
scenario="${SCENARIO:-$root/bench/scenarios/storm-day60.yaml}" # another day file: SCENARIO=path
row() { # label json
  python3 -c "
import json,sys
d=json.load(open(sys.argv[2])); t=d['truth'] or {}
f=lambda k: '' if t.get(k) is None else f'{t[k]:.3f}'
print(','.join([sys.argv[1], f('storm_true_mean_bps'), f('storm_model_mean_bps'), f('mean_rel_error'), f('q95_coverage'), f('venue_shock_iommu_share'), f('calm_mean_abs_iommu_bps')]))" "$1" "$2"
}
echo "machine: $(nproc) cores, $(uname -r), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "run,storm_true_bps,storm_model_bps,rel_error,q95_coverage,venue_shock_share,calm_mean_abs_c_bps"
for s in "${seeds[@]}"; do
  d="$work/day$s"; db="$work/day$s.duckdb"
  rm -rf "$d" "$db" "$db.wal" "$work/models$s"
  "${cli[@]}" simulate --scenario "$scenario" --seed "$s" --out "$d" > /dev/null
  "${cli[@]}" ingest "$d" --db "$db" > /dev/null 2>&1
  "${cli[@]}" features --db "$db" > /dev/null
  "${cli[@]}" attribute --db "$db" > /dev/null
  "${cli[@]}" fit --db "$db" --models "$work/models$s" --json > "$work/fit$s.json"
  row "in-day seed $s" "$work/fit$s.json"
done
for a in "${seeds[@]}"; do
  for b in "${seeds[@]}"; do
    [ "$a" = "$b" ] && continue
    cp "$work/day$b.duckdb" "$work/held.duckdb"
    "${cli[@]}" fit --db "$work/held.duckdb" --from "$work/models$a" --json > "$work/held$a-$b.json"
    row "fit $a → score $b" "$work/held$a-$b.json"
    rm -f "$work/held.duckdb" "$work/held.duckdb.wal"
  done
done
