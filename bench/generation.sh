#!/usr/bin/env bash
# What Synthio's generation buys (issue: generation that helps): `dotnet synthio evaluate` with gold-only,
# classic augmentation, Synthio and its ablations, on ESC-10 (esc-fold:1) and FSDD, n = 2, 5, 10 per label,
# the same search budget for every mode. Writes bench/results/generation-<dataset>/{results.json,report.md,accuracy.png}.
#
# usage: bench/generation.sh [esc10] [fsdd]     (default: both)
# environment: SEEDS=3  BUDGET=10  MULTIPLIER=3  MODES=gold,classic,synthio,synthio-no-mixcap,synthio-no-filter,synthio-no-reflection
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
datasets="${SYNTHIO_DATASETS_DIR:-$root/../shared/datasets}"
seeds="${SEEDS:-3}"
budget="${BUDGET:-10}"
multiplier="${MULTIPLIER:-3}"
modes="${MODES:-gold,classic,synthio,synthio-no-mixcap,synthio-no-filter,synthio-no-reflection}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet build src/Synthio.Cli -c Release -v quiet -nologo >/dev/null
cli=(dotnet "$root/src/Synthio.Cli/bin/Release/net10.0/dotnet-synthio.dll")

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(esc10 fsdd)
for target in "${targets[@]}"; do
  case "$target" in
    esc10) path="$datasets/esc10-16k"; split="esc-fold:1" ;;
    fsdd) path="$datasets/fsdd"; split="fsdd" ;;
    *) echo "unknown dataset '$target' (esc10 or fsdd)" >&2; exit 2 ;;
  esac
  out="$root/bench/results/generation-$target"
  mkdir -p "$out"
  "${cli[@]}" evaluate "$path" --split "$split" --n 2,5,10 --seeds "$seeds" --modes "$modes" \
    --time-budget "$budget" --multiplier "$multiplier" --out "$out" --work-dir "$work/$target" \
    --cache-dir "$work/cache" --log-format plain
  rm -f "$out/trials.jsonl"
  # Record the dataset as the repository sees it, not as an absolute path of this machine.
  sed -i -E "s#\"[^\"]*/(esc10-16k|fsdd)\"#\"../shared/datasets/\\1\"#" "$out/results.json"
  echo "== $target: $out/report.md"
done
