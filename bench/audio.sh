#!/usr/bin/env bash
# Throughput of the audio engine on the ESC-10 clips, on one core: feature extraction and classic augmentation;
# then decoding of each audio format a dataset may hold, on the test fixtures.
# Usage: bench/audio.sh [dataset-folder]   (default: ../shared/datasets/esc10-16k from the repository root)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dataset="${1:-../shared/datasets/esc10-16k}"
out="$root/artifacts/bench/audio"
dotnet build bench/Synthio.Bench.Audio/Synthio.Bench.Audio.csproj -c Release -o "$out" -nologo -v quiet >/dev/null
pin=()
if command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c 0)
fi
# One core for the runtime too: workstation GC, no background compilation threads competing for other cores.
DOTNET_gcServer=0 ${pin[@]+"${pin[@]}"} dotnet "$out/Synthio.Bench.Audio.dll" "$dataset"
