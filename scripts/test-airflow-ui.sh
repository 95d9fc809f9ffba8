#!/usr/bin/env bash
# make test-airflow-ui: the `make airflow` stack on a throwaway PostgreSQL, a free port and small
# synthetic data, then the browser test (e2e/airflow-ui.mjs). Everything it starts is stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x /usr/bin/chromium ]]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
work=$(mktemp -d -t propel-airflow-ui-XXXXXX)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export AIRFLOW_HOME=$work/airflow AIRFLOW_PORT=$port DATA_SOURCE=$work/source DATA_POOL=$work/pool SYNTH_MANIFEST=$work/manifest.json
export LOG_LEVEL=warn PROPEL_LAST_MONTH=2020-02
node jobs/dist/cli.js synth generate --customers 500 --months 2 --released 2 --seed 3 >/dev/null

setsid node jobs/dist/db/with-postgres.js --database airflow -- bash scripts/airflow.sh >"$work/stack.log" 2>&1 &
stack=$!
cleanup() {
  kill -TERM -- "-$stack" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$stack" 2>/dev/null || break; sleep 1; done
  kill -KILL -- "-$stack" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 180); do
  grep -q "airflow: ready" "$work/stack.log" && break
  kill -0 "$stack" 2>/dev/null || { cat "$work/stack.log"; exit 1; }
  sleep 1
done
grep -q "airflow: ready" "$work/stack.log" || { echo "airflow did not start in time" >&2; tail -20 "$work/stack.log"; exit 1; }
AIRFLOW_URL=http://localhost:$port node e2e/airflow-ui.mjs
