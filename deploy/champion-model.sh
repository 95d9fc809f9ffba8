#!/usr/bin/env bash
# Puts the champion model directory to deploy into OUT_DIR and prints its path on stdout.
# MODEL_ARTIFACT_URL set: downloads that .tar.gz (an exported models/<version>/ directory, e.g. from
# the production registry's export); unset: runs `make demo` (synthetic data through the real
# pipeline) and takes the newest directory it exported under models/.
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
  newest="$(find "$root/models" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' 2>/dev/null | sort -rn | head -1 | cut -d' ' -f2-)"
  [[ -n "$newest" ]] || { echo "champion-model: make demo exported no model under models/" >&2; exit 1; }
  cp -R "$newest/." "$out/"
fi
[[ -n "$(ls -A "$out")" ]] || { echo "champion-model: $out is empty" >&2; exit 1; }
echo "$out"
