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
source "$root/bench/lib/models-eval-common.sh"
for s in "${seeds[@]}"; do
  d="$work/day$s"; db="$work/day$s.duckdb"
  rm -rf "$d" "$work/models$s"
  "${cli[@]}" simulate --scenario "$scenario" --seed "$s" --out "$d" > /dev/null
  prep "$db" "$d"
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
