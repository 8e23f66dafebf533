# Sourced by the benchmarks that write results.
# relative_dataset_paths <results.json>: records the dataset as the repository sees it, not as an absolute
# path of the machine the benchmark ran on.
relative_dataset_paths() {
  sed -i -E "s#\"[^\"]*/(esc10-16k|fsdd)\"#\"../shared/datasets/\\1\"#" "$1"
}
