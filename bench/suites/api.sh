#!/usr/bin/env bash
# API benchmark suite: installs the Flask peer's Python deps into bench/work/peer-venv and nginx when
# missing, compiles the driver, runs it. Writes bench/results/api.json.
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV=bench/work/peer-venv
if ! "$VENV/bin/python" -c 'import flask, gunicorn, sklearn' 2>/dev/null; then
  echo "api bench: installing the peer's Python deps into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r bench/peers/flask_sklearn/requirements.txt
fi
if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
fi
npx tsc -p bench/suites/api/tsconfig.json
node bench/work/api-bench/bench/suites/api/run.js
