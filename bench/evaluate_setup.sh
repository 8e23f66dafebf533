# Sourced by the evaluation benchmarks (generation.sh, policy.sh); sets `cli` and defines dataset helpers.
# The CLI is built into artifacts/ rather than src/*/bin, so rebuilding the sources cannot replace the
# assemblies under a benchmark that is still running. SYNTHIO_CLI=<dotnet-synthio.dll> uses a CLI built
# beforehand instead (one build for a queue of benchmarks).
datasets="${SYNTHIO_DATASETS_DIR:-$root/../shared/datasets}"
if [[ -n "${SYNTHIO_CLI:-}" ]]; then
  cli=(dotnet "$SYNTHIO_CLI")
  trap_cleanup_cli() { :; }
else
  cli_dir="$root/artifacts/bench/cli-$$"
  dotnet build "$root/src/Synthio.Cli" -c Release -o "$cli_dir" -v quiet -nologo >/dev/null
  cli=(dotnet "$cli_dir/dotnet-synthio.dll")
  trap_cleanup_cli() { rm -rf "$cli_dir"; }
fi

# dataset_for <esc10|fsdd> <esc-split>: sets `path`, `split` and `groups` (the group pattern naming each
# dataset's near-duplicates: takes of one recording in ESC-10, one speaker's repeats of a digit in FSDD).
dataset_for() {
  case "$1" in
    esc10) path="$datasets/esc10-16k"; split="$2"; groups='^\d+-(\d+)-' ;;
    fsdd) path="$datasets/fsdd"; split="fsdd"; groups='^\d+_([a-z]+)_' ;;
    *) echo "unknown dataset '$1' (esc10 or fsdd)" >&2; exit 2 ;;
  esac
}

source "$root/bench/dataset_paths.sh"
