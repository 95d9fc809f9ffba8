#!/usr/bin/env bash
# Puts the champion model directory to deploy into OUT_DIR and prints its path on stdout.
# MODEL_ARTIFACT_URL set: downloads that .tar.gz (an exported models/<version>/ directory, e.g. from
# the production registry's `propel-jobs export-model`); unset: runs `make demo` (synthetic data
# through the real pipeline) and exports the champion it promoted (`make export-model`).
# usage: deploy/champion-model.sh OUT_DIR
set -euo pipefail

out="${1:?usage: $0 OUT_DIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$out"

if [[ -n "${MODEL_ARTIFACT_URL:-}" ]]; then
  echo "champion-model: downloading $MODEL_ARTIFACT_URL" >&2
  curl --fail --silent --show-error --location "$MODEL_ARTIFACT_URL" | tar -xzf - -C "$out"
else
  echo "champion-model: MODEL_ARTIFACT_URL unset, training one with make demo" >&2
  make -C "$root" demo >&2
  exported="$(mktemp -d)"
  trap 'rm -rf "$exported"' EXIT
  # The job's last stdout line is its JSON summary; export-model exits 99 when no model was promoted.
  summary="$(make -s -C "$root" export-model MODEL_EXPORT_DIR="$exported" | tail -n 1)"
  dir="$(node -e 'console.log(JSON.parse(process.argv[1]).dir)' "$summary")"
  echo "champion-model: $summary" >&2
  cp -R "$dir/." "$out/"
fi
[[ -n "$(ls -A "$out")" ]] || { echo "champion-model: $out is empty" >&2; exit 1; }
echo "$out"
