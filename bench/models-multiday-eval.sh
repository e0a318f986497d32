#!/usr/bin/env bash
# Issue 6 across days, the way a desk fits: on several days of history, scored on a day the models never saw.
# usage: bench/models-multiday-eval.sh [WORKDIR] [SEED...]   (default: a temp folder; seeds 21 23 25)
# Each seed is one 60-minute storm day (bench/scenarios/storm-day60.yaml) on its own date (2013-10-07, -08, ...),
# so parent ids and timestamps differ and days share a database. Per day: simulate → ingest → features → attribute.
# Then, leaving each day out in turn: ingest the other days into one database, fit, and score the left-out day with
# `dmaslip fit --from` (nothing refit). One CSV row per run (in-sample over the training days, then held-out).
# Disk: a 12 000-parent day is ~1.4 GB of files and ~1.2 GB of database; each day is held out once, so it is scored
# in its own database (no copy), and each training database is dropped after its fit (peak ≈ 10 GB for three days).
# Side by side: BASELINE_DLL=/path/to/another/build/dmaslip.dll also fits and scores every fold with that build, on the
# same databases in the same run (its rows are prefixed "baseline"); e.g. main's build against a branch's.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/dmaslip-models-multiday.XXXXXX)}"
shift || true
seeds=("$@")
[ ${#seeds[@]} -eq 0 ] && seeds=(21 23 25)
source "$root/bench/lib/models-eval-common.sh"
declare -A day
i=0
for s in "${seeds[@]}"; do
  date=$(date -u -d "2013-10-07 + $i day" +%F); i=$((i + 1))
  day[$s]="$work/day$s"
  rm -rf "${day[$s]}"
  "${cli[@]}" simulate --scenario "$scenario" --seed "$s" --date "$date" --out "${day[$s]}" > /dev/null
  prep "$work/day$s.duckdb" "${day[$s]}"
done
for held in "${seeds[@]}"; do
  train=(); dirs=()
  for s in "${seeds[@]}"; do [ "$s" != "$held" ] && train+=("$s") && dirs+=("${day[$s]}"); done
  tag=$(IFS=+; echo "${train[*]}")
  prep "$work/train$tag.duckdb" "${dirs[@]}"
  rm -rf "$work/models$tag"
  "${cli[@]}" fit --db "$work/train$tag.duckdb" --models "$work/models$tag" --json > "$work/fit$tag.json"
  row "in-sample $tag" "$work/fit$tag.json"
  if [ -n "${BASELINE_DLL:-}" ]; then
    rm -rf "$work/baseline-models$tag"
    dotnet "$BASELINE_DLL" fit --db "$work/train$tag.duckdb" --models "$work/baseline-models$tag" --json > "$work/baseline-fit$tag.json"
    row "baseline in-sample $tag" "$work/baseline-fit$tag.json"
  fi
  rm -f "$work/train$tag.duckdb" "$work/train$tag.duckdb.wal"
  "${cli[@]}" fit --db "$work/day$held.duckdb" --from "$work/models$tag" --json > "$work/held$tag-$held.json"
  row "fit $tag → score $held" "$work/held$tag-$held.json"
  if [ -n "${BASELINE_DLL:-}" ]; then
    dotnet "$BASELINE_DLL" fit --db "$work/day$held.duckdb" --from "$work/baseline-models$tag" --json > "$work/baseline-held$tag-$held.json"
    row "baseline fit $tag → score $held" "$work/baseline-held$tag-$held.json"
  fi
done
