#!/usr/bin/env bash
# The demo's pipeline, run with DATABASE_URL and AIRFLOW_DATABASE_URL set (by with-postgres): every
# DAG through real Airflow (dag.test, local runner) — clients, every released sales month, processing,
# the store report — then the row count of every table.
set -euo pipefail
cd "$(dirname "$0")/.."
export AIRFLOW_HOME=${AIRFLOW_HOME:-$PWD/.airflow}
source scripts/airflow-env.sh
export AIRFLOW__LOGGING__LOGGING_LEVEL=${AIRFLOW__LOGGING__LOGGING_LEVEL:-WARNING} LOG_LEVEL=${LOG_LEVEL:-warn}
# A demo shows a failure at once instead of retrying it for minutes.
export PROPEL_TASK_RETRIES=${PROPEL_TASK_RETRIES:-0}
mkdir -p "$AIRFLOW_HOME"
.venv/bin/airflow db migrate >/dev/null

months=()
for file in "$DATA_SOURCE"/sales/*/sales.csv; do
  month=$(basename "$(dirname "$file")")
  months+=("${month:0:7}")
done
status=0
.venv/bin/python scripts/run-dags.py "${months[@]}" || status=$?
echo
node jobs/dist/cli.js table-counts >/dev/null
exit "$status"
