#!/usr/bin/env bash
# make test-dags: pytest of the DAGs in real Airflow (its metadata in the `airflow` database of the
# same PostgreSQL), run by with-postgres: DATABASE_URL and AIRFLOW_DATABASE_URL are set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/airflow-env.sh
.venv/bin/airflow db migrate >/dev/null
.venv/bin/pytest -p no:cacheprovider -q dags/tests "$@"
