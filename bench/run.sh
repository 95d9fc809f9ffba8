#!/usr/bin/env bash
# make bench: runs every suite in bench/suites/*.sh (each writes bench/results/<name>.json), then
# renders every result into BENCHMARKS.md. BENCH_SUITES="ingest api" runs only those.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results bench/work
suites=${BENCH_SUITES:-$(for f in bench/suites/*.sh; do basename "$f" .sh; done)}
for suite in $suites; do
  echo "== bench: $suite" >&2
  bash "bench/suites/$suite.sh"
done
node bench/report.mjs
