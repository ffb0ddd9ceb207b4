#!/usr/bin/env bash
# Fills fuzz/corpus/loader with every YAML file of the example school and the
# test fixtures: the seed corpus. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/loader
find examples/oakfield tests/fixtures -name '*.yaml' -type f | sort | while read -r f; do
  cp "$f" "fuzz/corpus/loader/$(echo "$f" | tr '/' '_')"
done
echo "$(ls fuzz/corpus/loader | wc -l) seeds in fuzz/corpus/loader"
