#!/usr/bin/env bash
# Accuracy benchmark on the shared real datasets (see ../shared/datasets/README.md for the splits):
#   ESC-10, test = fold 1, training sets drawn from folds 2-5;  FSDD, test = index 0-4, training from 5-49.
# For each dataset: n = 2, 5, 10 clips per label with SEEDS seeds, and n = all (every training clip),
# then bench/results/accuracy-<dataset>.md (with chart .png) and accuracy-<dataset>.json.
#
# usage: bench/accuracy.sh [esc10] [fsdd]          (default: both)
# environment:
#   MODES=gold[,classic,synthio]   modes to compare (augmented modes need the wired `dotnet synthio evaluate`)
#   SEEDS=3                        seeds per size
#   BUDGET=15                      trainer-search seconds per training for n = 2, 5, 10
#   BUDGET_ALL=60                  trainer-search seconds per training for n = all
#   ESC_SPLIT=esc-fold:1           e.g. esc-fold:all for the 5-fold rotation (5x the time, 400 test clips)
#   SUFFIX=                        appended to the result names (accuracy-<dataset><suffix>.md), e.g. -classic
#   SYNTHIO_DATASETS_DIR           where esc10-16k/ and fsdd/ are (default: ../shared/datasets)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
datasets="${SYNTHIO_DATASETS_DIR:-$root/../shared/datasets}"
modes="${MODES:-gold}"
seeds="${SEEDS:-3}"
budget="${BUDGET:-15}"
budget_all="${BUDGET_ALL:-60}"
esc_split="${ESC_SPLIT:-esc-fold:1}"
suffix="${SUFFIX:-}"
results="$root/bench/results"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$root/bench/dataset_paths.sh"
mkdir -p "$results"

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(esc10 fsdd)

# The CLI's evaluate command when it is wired; until then the engine through the bench stand-in (gold only).
dotnet build bench/AccuracyBench -c Release -v quiet -nologo >/dev/null
bench=(dotnet "$root/bench/AccuracyBench/bin/Release/net10.0/AccuracyBench.dll")
if dotnet run --project src/Synthio.Cli -c Release -- evaluate --help 2>&1 | grep -q -- "--time-budget"; then
  evaluate=(dotnet run --project src/Synthio.Cli -c Release --no-build -- evaluate)
else
  evaluate=("${bench[@]}" evaluate)
  if [[ "$modes" != "gold" ]]; then
    echo "accuracy.sh: 'dotnet synthio evaluate' is not wired yet; only MODES=gold can run" >&2
    exit 2
  fi
fi

run_dataset() {
  local name="$1" path="$2" split="$3" title="$4" baseline=("${@:5}")
  local out="$work/$name"
  rm -rf "$out" && mkdir -p "$out"
  echo "== $name: n = 2,5,10, $seeds seeds, $budget s per training ($split)"
  "${evaluate[@]}" "$path" --n 2,5,10 --seeds "$seeds" --modes "$modes" --split "$split" --time-budget "$budget" --out "$out/small"
  echo "== $name: n = all, $seeds seeds, $budget_all s per training"
  "${evaluate[@]}" "$path" --n all --seeds "$seeds" --modes "$modes" --split "$split" --time-budget "$budget_all" --out "$out/all"
  "${bench[@]}" report --results "$out/small/results.json,$out/all/results.json" \
    --json-out "$results/accuracy-$name$suffix.json" --out "$results/accuracy-$name$suffix.md" --title "$title" "${baseline[@]}"
  relative_dataset_paths "$results/accuracy-$name$suffix.json"
}

for target in "${targets[@]}"; do
  case "$target" in
    esc10) run_dataset esc10 "$datasets/esc10-16k" "$esc_split" "Accuracy on ESC-10 ($esc_split)" \
             --baseline-accuracy 0.727 --baseline-name "random forest on MFCC baseline published with ESC-50 (2015)" ;;
    fsdd)  run_dataset fsdd "$datasets/fsdd" fsdd "Accuracy on FSDD (test = recordings 0-4)" ;;
    *) echo "accuracy.sh: unknown dataset '$target' (esc10, fsdd)" >&2; exit 2 ;;
  esac
done
echo "results in $results"
