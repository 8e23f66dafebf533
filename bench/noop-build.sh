#!/usr/bin/env bash
# Measures, in one run, a no-change `dotnet build` of the sample project with Synthio's targets and
# without them (SynthioSkip=true), and prints the overhead. Goal: overhead <= 2 s.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
export SYNTHIO_CACHE_DIR=${SYNTHIO_CACHE_DIR:-$(mktemp -d)/cache}

echo "warming up (first build augments and trains)..."
dotnet build sample-project -nologo -v:q >/dev/null
dotnet build sample-project -nologo -v:q -p:SynthioSkip=true >/dev/null

time_build() {
  local start end
  start=$(date +%s.%N)
  dotnet build sample-project -nologo -v:q "$@" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$end" -v b="$start" 'BEGIN { print a - b }'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

with=()
without=()
for _ in $(seq "$runs"); do
  # Interleave the two so machine noise hits both alike.
  with+=("$(time_build)")
  without+=("$(time_build -p:SynthioSkip=true)")
done

w=$(printf '%s\n' "${with[@]}" | median)
wo=$(printf '%s\n' "${without[@]}" | median)
printf 'runs=%d (median of each)\n' "$runs"
printf 'noop_with_synthio_s=%.2f\n' "$w"
printf 'noop_without_synthio_s=%.2f\n' "$wo"
printf 'overhead_s=%.2f\n' "$(awk -v a="$w" -v b="$wo" 'BEGIN { print a - b }')"
