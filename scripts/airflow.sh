#!/usr/bin/env bash
# make airflow: a real Airflow 3 without Docker, run by with-postgres (DATABASE_URL, AIRFLOW_DATABASE_URL):
# api-server on :$AIRFLOW_PORT (8082) with login airflow/airflow (FAB auth manager), scheduler,
# dag-processor and triggerer, LocalExecutor, the local job runner, DAGs unpaused. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
export AIRFLOW_HOME=${AIRFLOW_HOME:-$PWD/.airflow}
source scripts/airflow-env.sh
port=${AIRFLOW_PORT:-8082}
export AIRFLOW__API__PORT=$port
export AIRFLOW__API__BASE_URL=http://localhost:$port
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL=http://localhost:$port/execution/
export AIRFLOW__CORE__AUTH_MANAGER=airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=false
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=${AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL:-30}
export AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC=2 AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC=2
export PROPEL_TASK_RETRIES=${PROPEL_TASK_RETRIES:-0}
export DATA_SOURCE=${DATA_SOURCE:-$PWD/data/source} DATA_POOL=${DATA_POOL:-$PWD/data/pool}
# Catch-up of load_sales_data ends at the last released month (restart after make next-month).
if [[ -z "${PROPEL_LAST_MONTH:-}" && -d "$DATA_SOURCE/sales" ]]; then
  last=$(find "$DATA_SOURCE/sales" -mindepth 1 -maxdepth 1 -type d -name '????-??-01' | sort | tail -1)
  [[ -n "$last" ]] && export PROPEL_LAST_MONTH=$(basename "$last" | cut -c1-7)
fi
mkdir -p "$AIRFLOW_HOME"
# Signing secrets of this local instance: generated once, kept in AIRFLOW_HOME (never in the repo).
secrets="$AIRFLOW_HOME/propel-secrets.sh"
if [[ ! -f "$secrets" ]]; then
  umask 077
  printf 'export AIRFLOW__API_AUTH__JWT_SECRET=%s\nexport AIRFLOW__API__SECRET_KEY=%s\n' \
    "$(openssl rand -hex 32)" "$(openssl rand -hex 32)" > "$secrets"
fi
source "$secrets"

airflow=.venv/bin/airflow
$airflow db migrate >/dev/null
$airflow fab-db migrate >/dev/null 2>&1 || true
if ! $airflow users list 2>/dev/null | grep -qw airflow; then
  $airflow users create --username airflow --password airflow --role Admin \
    --firstname Propel --lastname Operator --email airflow@example.invalid >/dev/null
fi

logs="$AIRFLOW_HOME/logs"
mkdir -p "$logs"
pids=()
stop() {
  trap - INT TERM EXIT
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT
for component in api-server scheduler dag-processor triggerer; do
  $airflow "$component" >"$logs/$component.log" 2>&1 &
  pids+=($!)
done
echo "airflow: api-server, scheduler, dag-processor, triggerer starting; logs in $logs" >&2
for _ in $(seq 1 120); do
  if curl -fsS "http://localhost:$port/api/v2/monitor/health" >/dev/null 2>&1; then break; fi
  sleep 1
done
curl -fsS "http://localhost:$port/api/v2/monitor/health" >/dev/null
# DAGs parsed before (e.g. by make demo) keep their paused flag: unpause ours, as a user expects.
for dag in load_client_data load_sales_data process_data store_sales_report monitor_model; do
  for _ in $(seq 1 60); do $airflow dags unpause "$dag" >/dev/null 2>&1 && break; sleep 1; done
done
echo "airflow: ready on http://localhost:$port (login airflow / airflow)" >&2
# Runs until interrupted, or until any component exits.
wait -n "${pids[@]}"
echo "airflow: a component stopped; stopping the others" >&2
exit 1
