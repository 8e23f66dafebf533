#!/usr/bin/env bash
# No-regret augmentation (issue: the build decides how much synthetic data to use): `dotnet synthio evaluate`
# with gold-only, every fixed policy the automatic search considers (classic, synthio and both at 1, 2, 4, 8
# copies per clip) and `auto` (the policy chosen by cross-validation on each drawn training set alone), on
# ESC-10 (esc-fold:all: every fold is the test fold once, 400 test clips per seed) and FSDD (300 test clips),
# n = 2, 5, 10 and all training clips per label. Writes bench/results/policy-<dataset><suffix>/{results.json,report.md,accuracy.png}
# and summary.md: per n, auto against gold-only and against the best fixed policy. Where auto ran beside fixed
# policies, cv-check.md (bench/policy_cv_check.py) sets the gain over gold-only that the search's cross-validation
# saw for each candidate beside the gain on the test clips, rotation by rotation.
#
# Every mode is trained the same way: the reference trainer the policy search scores with (L-BFGS maximum
# entropy at its starting point, one trial), so that differences come from the training data alone and the
# run is exactly repeatable; the product's own trainer search picks that trainer most often at these sizes.
#
# Long runs can go in parts: FIRST_SEED=k SEEDS=m writes seeds k…k+m-1 into <out>/seeds-k-(k+m-1)/ (PART=<name>
# names the part's folder instead), and summary.md then covers every part's results.json in <out>. A mode
# measured in two parts must give the same accuracy in both (gold-only is deterministic, so a part that
# reruns only gold and auto checks itself against the part that measured the fixed policies).
#
# usage: bench/policy.sh [esc10] [fsdd]     (default: both)
# Disk: the cache keeps every generated clip for the run, over 1 GB per ESC-10 rotation at n = 10.
#
# environment: SEEDS=5  FIRST_SEED  PART  N=2,5,10,all  POLICY_BUDGET=120  MODES=<all of the above>  SUFFIX  WORK_DIR
#   SPLIT=<another split, e.g. stratified:0.1, to check that a result is not a property of the standard one>
#   GROUP_PATTERN=<regex>|none (default: the dataset's own, see evaluate_setup.sh; results before it was passed
#     ran without one, and their results.json has no group_pattern)
#   FIXED_FROM="<result folders under the repository>": the summary takes their fixed policies (not their auto)
#     too, for a run of gold and auto alone; FIXED_MODES=synthio,gold takes only those modes from them (for a
#     run that remeasured the classic policies and borrows the synthio ones)
#   THRESHOLD=<0.85|auto|a number>: the synthetic clips' filter threshold (default: the tool's, 0.85)
#   CLASSIC_KEEP_ENVELOPE=<share>: the classic chain's --classic-keep-envelope (default: the tool's, 1)
#   SYNTHIO_CLI=<a built dotnet-synthio.dll> (default: build one from the sources)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seeds="${SEEDS:-5}"
sizes="${N:-2,5,10,all}"
policy_budget="${POLICY_BUDGET:-120}"
fixed="classic:1,classic:2,classic:4,classic:8,synthio:1,synthio:2,synthio:4,synthio:8,both:2,both:4,both:8"
modes="${MODES:-gold,$fixed,auto}"
work="${WORK_DIR:-$(mktemp -d)}"
source "$root/bench/evaluate_setup.sh"
trap '[[ -z "${WORK_DIR:-}" ]] && rm -rf "$work"; trap_cleanup_cli' EXIT

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(esc10 fsdd)
for target in "${targets[@]}"; do
  dataset_for "$target" "esc-fold:all"
  split="${SPLIT:-$split}"
  group_pattern="${GROUP_PATTERN-$groups}"
  group_args=()
  [[ -n "$group_pattern" && "$group_pattern" != none ]] && group_args=(--group-pattern "$group_pattern")
  base="$root/bench/results/policy-$target${SUFFIX:-}"
  out="$base"
  [[ -n "${FIRST_SEED:-}" ]] && out="$base/seeds-$FIRST_SEED-$(( FIRST_SEED + seeds - 1 ))"
  [[ -n "${PART:-}" ]] && out="$base/$PART"
  mkdir -p "$out"
  start=$(date +%s)
  "${cli[@]}" evaluate "$path" --split "$split" --n "$sizes" --seeds "$seeds" --first-seed "${FIRST_SEED:-0}" --modes "$modes" \
    --trainers LbfgsMaximumEntropy --max-trials 1 --time-budget 600 --policy-budget "$policy_budget" "${group_args[@]}" ${THRESHOLD:+--threshold "$THRESHOLD"} ${CLASSIC_KEEP_ENVELOPE:+--classic-keep-envelope "$CLASSIC_KEEP_ENVELOPE"} \
    --out "$out" --work-dir "$work/$target" --cache-dir "$work/cache" --log-format plain 2>&1 \
    | grep -E "auto:|SYN6|error" || true
  rm -f "$out/trials.jsonl"
  relative_dataset_paths "$out/results.json"
  echo "== $target: $out/report.md ($(( $(date +%s) - start )) s)"
  mapfile -t parts < <(find "$base" -name results.json | sort)
  fixed_parts=()
  if [[ -n "${FIXED_FROM:-}" ]]; then
    for folder in $FIXED_FROM; do fixed_parts+=("$root/$folder"); done
    mapfile -t fixed_parts < <(find "${fixed_parts[@]}" -name results.json | sort)
  fi
  python3 "$root/bench/policy_summary.py" "${parts[@]}" ${FIXED_FROM:+--fixed-from "${fixed_parts[@]}"} ${FIXED_MODES:+--fixed-modes "$FIXED_MODES"} | tee "$base/summary.md"
  # Results written before rotations were recorded, or a run without fixed policies, have nothing to check.
  python3 "$root/bench/policy_cv_check.py" "${parts[@]}" > "$base/cv-check.md" 2>/dev/null || rm -f "$base/cv-check.md"
done
