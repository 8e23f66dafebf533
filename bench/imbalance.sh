#!/usr/bin/env bash
# Class weights on unevenly spread labels: training sets whose labels have 3, 6, 12 or 24 gold clips, tested on
# evenly spread test clips (ESC-10: each fold in turn; FSDD: its standard test clips), where accuracy is the mean
# of the labels' recalls. Each draw is trained without and with class weights, with the reference trainer and
# with the trainer search.
# usage: bench/imbalance.sh [esc10] [fsdd]     (default: both)
# environment: SEEDS=10 (ESC-10: each seed tests the five folds in turn), TRIALS=10 (trainer-search trials per
#              model), SYNTHIO_DATASETS_DIR (default ../shared/datasets)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
datasets="${SYNTHIO_DATASETS_DIR:-$root/../shared/datasets}"
out="$root/artifacts/bench/imbalance"
dotnet build bench/Synthio.Bench.Imbalance/Synthio.Bench.Imbalance.csproj -c Release -o "$out" -nologo -v quiet >/dev/null
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(esc10 fsdd)
for name in "${names[@]}"; do
  dotnet "$out/Synthio.Bench.Imbalance.dll" "$datasets" "$name" "${SEEDS:-10}" "${TRIALS:-10}"
done
