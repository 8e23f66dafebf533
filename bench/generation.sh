#!/usr/bin/env bash
# What Synthio's generation buys (issue: generation that helps): `dotnet synthio evaluate` with gold-only,
# classic augmentation, Synthio and its ablations, on ESC-10 (esc-fold:1) and FSDD, n = 2, 5, 10 per label,
# the same search budget for every mode. Writes bench/results/generation-<dataset>/{results.json,report.md,accuracy.png}.
#
# usage: bench/generation.sh [esc10] [fsdd]     (default: both)
# environment: SEEDS=3  BUDGET=10  MULTIPLIER=3  N=2,5,10
#   MODES=gold,classic,synthio,synthio-no-mixcap,synthio-no-filter,synthio-no-reflection,synthio-no-alignment
#   SPLIT=<another ESC-10 split>  SUFFIX=<appended to the result folder's name>
#   TRAINER=reference: every mode trains the reference trainer (L-BFGS maximum entropy, one trial) instead of
#     BUDGET seconds of trainer search, so rows differ only in their training data and reruns are exact
#   SYNTHIO_CLI=<a built dotnet-synthio.dll> (default: build one from the sources)
#   CLASSIC_KEEP_ENVELOPE=<share>: the classic chain's --classic-keep-envelope (default: the tool's, 1)
#
# Developing the generator: measure a change on the development split, which never reads fold 1, and
# confirm it once on the standard one:
#   SPLIT=esc-fold:2-5 SEEDS=5 TRAINER=reference SUFFIX=-dev bench/generation.sh esc10
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seeds="${SEEDS:-3}"
budget="${BUDGET:-10}"
multiplier="${MULTIPLIER:-3}"
sizes="${N:-2,5,10}"
trainer_args=(--time-budget "$budget")
[[ "${TRAINER:-}" == reference ]] && trainer_args=(--trainers LbfgsMaximumEntropy --max-trials 1 --time-budget 600)
modes="${MODES:-gold,classic,synthio,synthio-no-mixcap,synthio-no-filter,synthio-no-reflection,synthio-no-alignment}"
work="$(mktemp -d)"
source "$root/bench/evaluate_setup.sh"
trap 'rm -rf "$work"; trap_cleanup_cli' EXIT

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(esc10 fsdd)
for target in "${targets[@]}"; do
  dataset_for "$target" "${SPLIT:-esc-fold:1}"
  out="$root/bench/results/generation-$target${SUFFIX:-}"
  mkdir -p "$out"
  start=$(date +%s)
  "${cli[@]}" evaluate "$path" --split "$split" --n "$sizes" --seeds "$seeds" --modes "$modes" \
    "${trainer_args[@]}" --multiplier "$multiplier" ${CLASSIC_KEEP_ENVELOPE:+--classic-keep-envelope "$CLASSIC_KEEP_ENVELOPE"} --out "$out" --work-dir "$work/$target" \
    --cache-dir "$work/cache" --log-format plain
  rm -f "$out/trials.jsonl"
  relative_dataset_paths "$out/results.json"
  echo "== $target: $out/report.md ($(( $(date +%s) - start )) s)"
done
