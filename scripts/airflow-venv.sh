#!/usr/bin/env bash
# Creates .venv with Airflow and the DAGs' test deps from dags/requirements.txt + the committed
# constraints (dags/constraints.txt). Skips the install when neither file changed since last time.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
stamp="$VENV/.propel-requirements"
want=$(cat dags/requirements.txt dags/constraints.txt | sha256sum | cut -d' ' -f1)
if [[ -x "$VENV/bin/airflow" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
echo "airflow-venv: installing Airflow into $VENV (a few minutes the first time)" >&2
python3.11 -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r dags/requirements.txt -c dags/constraints.txt
echo "$want" > "$stamp"
