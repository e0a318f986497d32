# Shared by bench/models-sim-eval.sh and bench/models-multiday-eval.sh (sourced after `root`, `work` and `seeds` are
# set): builds the CLI, sets `cli` and `scenario`, defines `row LABEL JSON` (one CSV row from a `fit --json` truth
# block), `prep DB DIR...` (ingest → features → attribute into a fresh database), and prints the machine line and the CSV header.
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
prep() { # db dir...: ingest the simulator output folders into a fresh database, then features and attribute
  local db="$1"; shift
  rm -f "$db" "$db.wal"
  for d in "$@"; do "${cli[@]}" ingest "$d" --db "$db" > /dev/null 2>&1; done
  "${cli[@]}" features --db "$db" > /dev/null
  "${cli[@]}" attribute --db "$db" > /dev/null
}
echo "machine: $(nproc) cores, $(uname -r), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "run,storm_true_bps,storm_model_bps,rel_error,q95_coverage,venue_shock_share,calm_mean_abs_c_bps"
