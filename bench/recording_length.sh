#!/usr/bin/env bash
# Recordings or clips (SYN1015): ESC-10's training folds (2-5) joined into recordings of 10, 20 and 40 seconds
# (2, 4 and 8 clips of a label, in file-name order), and the 40-second recordings cut back into 5-second clips
# with `dotnet synthio split`, as a user would. Each is trained gold-only with the trainer search and tested on
# fold 1's 5-second clips of all ten labels (80 clips). Writes bench/results/recording-length/README.md.
#
# usage: bench/recording_length.sh
# environment: SEEDS=3 (trainer-search seeds), TIME_BUDGET=20 (trainer-search seconds per model),
#   SYNTHIO_CLI=<a built dotnet-synthio.dll> (default: build one from the sources), SYNTHIO_DATASETS_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/bench/evaluate_setup.sh"
trap trap_cleanup_cli EXIT
seeds="${SEEDS:-3}"
budget="${TIME_BUDGET:-20}"
esc="$datasets/esc10-16k"
work="$root/artifacts/bench/recording-length"
results="$root/bench/results/recording-length"
rm -rf "$work"
mkdir -p "$work" "$results"

# Recordings of 2, 4 and 8 clips each, written to the work folder (the dataset itself is only read).
python3 - "$esc" "$work" <<'EOF'
import glob, os, sys, wave
esc, work = sys.argv[1], sys.argv[2]
for label in sorted(d for d in os.listdir(esc) if os.path.isdir(os.path.join(esc, d))):
    clips = sorted(f for f in glob.glob(os.path.join(esc, label, "*.wav")) if not os.path.basename(f).startswith("1-"))
    for per, name in ((2, "recordings-10s"), (4, "recordings-20s"), (8, "recordings-40s")):
        os.makedirs(os.path.join(work, name, label), exist_ok=True)
        for k in range(len(clips) // per):
            with wave.open(os.path.join(work, name, label, f"recording-{k}.wav"), "wb") as out:
                for i, clip in enumerate(clips[k * per:(k + 1) * per]):
                    with wave.open(clip, "rb") as w:
                        if i == 0:
                            out.setparams(w.getparams())
                        out.writeframes(w.readframes(w.getnframes()))
EOF

for label_dir in "$work/recordings-40s"/*/; do
  label="$(basename "$label_dir")"
  "${cli[@]}" split "$label_dir" --out "$work/clips-5s/$label" --seconds 5 >>"$work/split.log" 2>&1
done

mapfile -t tests < <(ls "$esc"/*/1-*.wav)
{
  echo "ESC-10: training folds 2-5 as recordings or as clips, gold only, trainer search of ${budget} s; accuracy (%) on fold 1's ${#tests[@]} clips of 5 s."
  echo "Recordings join 2, 4 or 8 clips of a label in file-name order; the 5-second clips are the 40-second recordings cut by \`dotnet synthio split --seconds 5\`."
  echo
  echo "| training data | clips | $(for s in $(seq 0 $((seeds - 1))); do printf 'seed %s | ' "$s"; done)mean |"
  echo "|---|---|$(for s in $(seq 1 "$seeds"); do printf -- '---|'; done)---|"
} > "$results/README.md"

for variant in clips-5s recordings-10s recordings-20s recordings-40s; do
  count=$(find "$work/$variant" -name '*.wav' | wc -l)
  row="| $variant | $count |"
  sum=0
  for seed in $(seq 0 $((seeds - 1))); do
    model="$work/$variant-$seed.model.zip"
    "${cli[@]}" train "$work/$variant" --model "$model" --seed "$seed" --time-budget "$budget" --cache-dir "$work/cache" --log-format msbuild >>"$work/train.log" 2>&1
    accuracy=$("${cli[@]}" predict --model "$model" "${tests[@]}" | python3 -c '
import os, re, sys
right = total = 0
for line in sys.stdin:
    m = re.match(r"(.*?): (\S+) \(", line.strip())
    if m:
        total += 1
        right += os.path.basename(os.path.dirname(m.group(1))) == m.group(2)
print(f"{100 * right / total:.1f}")')
    row="$row $accuracy |"
    sum=$(python3 -c "print($sum + $accuracy)")
  done
  row="$row $(python3 -c "print(f'{$sum / $seeds:.1f}')") |"
  echo "$row" | tee -a "$results/README.md"
done
