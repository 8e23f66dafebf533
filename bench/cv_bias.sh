#!/usr/bin/env bash
# A diagnostic: where the policy search's cross-validation overrates classic copies on ESC-10 (see
# docs/augmentation-policy.md). Draws n clips per label from four folds (the fifth tests, each in turn), trains
# gold-only and classic×K as the search does, and scores every cross-validation fold's model on its held-out clips,
# on the test fold and on the training folds' undrawn clips, beside the build's model on the test fold.
# Writes bench/results/policy-esc10-cv-bias/summary.md and rows.jsonl (one line per drawn training set).
# usage: bench/cv_bias.sh
# environment: SEEDS=40 FIRST_SEED=0 N=5 COPIES=8 SYNTHIO_DATASETS_DIR (default ../shared/datasets) OUT_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
datasets="${SYNTHIO_DATASETS_DIR:-$root/../shared/datasets}"
build="$root/artifacts/bench/cv-bias"
out="${OUT_DIR:-$root/bench/results/policy-esc10-cv-bias}"
mkdir -p "$out"
dotnet build bench/Synthio.Bench.CvBias/Synthio.Bench.CvBias.csproj -c Release -o "$build" -nologo -v quiet >/dev/null
start=$(date +%s)
dotnet "$build/Synthio.Bench.CvBias.dll" "$datasets" "${SEEDS:-40}" "${FIRST_SEED:-0}" "${N:-5}" "${COPIES:-8}" "$out/rows.jsonl" | tee "$out/summary.md"
echo "$(( $(date +%s) - start )) s" >&2
