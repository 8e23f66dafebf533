#!/usr/bin/env bash
# No-regret augmentation (issue: the build decides how much synthetic data to use): `dotnet synthio evaluate`
# with gold-only, every fixed policy the automatic search considers (classic, synthio and both at 1, 2, 4, 8
# copies per clip) and `auto` (the policy chosen by cross-validation on each drawn training set alone), on
# ESC-10 (esc-fold:all: every fold is the test fold once, 400 test clips per seed) and FSDD (300 test clips),
# n = 2, 5, 10 and all training clips per label. Writes bench/results/policy-<dataset>/{results.json,report.md,accuracy.png}
# and prints, per n, auto against gold-only and against the best fixed policy.
#
# Every mode is trained the same way: the reference trainer the policy search scores with (L-BFGS maximum
# entropy at its starting point, one trial), so that differences come from the training data alone and the
# run is exactly repeatable; the product's own trainer search picks that trainer most often at these sizes.
#
# usage: bench/policy.sh [esc10] [fsdd]     (default: both)
# environment: SEEDS=5  N=2,5,10,all  POLICY_BUDGET=120  MODES=<all of the above>
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
datasets="${SYNTHIO_DATASETS_DIR:-$root/../shared/datasets}"
seeds="${SEEDS:-5}"
sizes="${N:-2,5,10,all}"
policy_budget="${POLICY_BUDGET:-120}"
fixed="classic:1,classic:2,classic:4,classic:8,synthio:1,synthio:2,synthio:4,synthio:8,both:2,both:4,both:8"
modes="${MODES:-gold,$fixed,auto}"
work="${WORK_DIR:-$(mktemp -d)}"
[[ -z "${WORK_DIR:-}" ]] && trap 'rm -rf "$work"' EXIT

dotnet build src/Synthio.Cli -c Release -v quiet -nologo >/dev/null
cli=(dotnet "$root/src/Synthio.Cli/bin/Release/net10.0/dotnet-synthio.dll")

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(esc10 fsdd)
for target in "${targets[@]}"; do
  case "$target" in
    esc10) path="$datasets/esc10-16k"; split="esc-fold:all" ;;
    fsdd) path="$datasets/fsdd"; split="fsdd" ;;
    *) echo "unknown dataset '$target' (esc10 or fsdd)" >&2; exit 2 ;;
  esac
  out="$root/bench/results/policy-$target${SUFFIX:-}"
  mkdir -p "$out"
  start=$(date +%s)
  "${cli[@]}" evaluate "$path" --split "$split" --n "$sizes" --seeds "$seeds" --modes "$modes" \
    --trainers LbfgsMaximumEntropy --max-trials 1 --time-budget 600 --policy-budget "$policy_budget" \
    --out "$out" --work-dir "$work/$target" --cache-dir "$work/cache" --log-format plain 2>&1 \
    | grep -E "auto:|SYN6|error" || true
  rm -f "$out/trials.jsonl"
  # Record the dataset as the repository sees it, not as an absolute path of this machine.
  sed -i -E "s#\"[^\"]*/(esc10-16k|fsdd)\"#\"../shared/datasets/\\1\"#" "$out/results.json"
  echo "== $target: $out/report.md ($(( $(date +%s) - start )) s)"
  python3 "$root/bench/policy_summary.py" "$out/results.json" | tee "$out/summary.md"
done
