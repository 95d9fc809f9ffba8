#!/usr/bin/env bash
# make demo: synthetic data (generated once; CUSTOMERS / MONTHS / SEED), the embedded PostgreSQL kept
# in $PG_DIR between runs (or DATABASE_URL when set), then every DAG through real Airflow and the
# per-table row counts.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATA_SOURCE=${DATA_SOURCE:-./data/source} DATA_POOL=${DATA_POOL:-./data/pool}
JOBS="node jobs/dist/cli.js"

if [[ ! -d "$DATA_SOURCE" ]]; then
  echo "demo: generating synthetic data (customers=$CUSTOMERS months=$MONTHS seed=$SEED) into $DATA_SOURCE" >&2
  $JOBS synth generate --customers "$CUSTOMERS" --months "$MONTHS" --seed "$SEED" >/dev/null
fi
$JOBS synth status >/dev/null

bash scripts/airflow-venv.sh
node jobs/dist/db/with-postgres.js --persistent "$PG_DIR" --database airflow -- bash scripts/demo-pipeline.sh
