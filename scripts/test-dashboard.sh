#!/usr/bin/env bash
# make test-dashboard: a small pipeline run on a throwaway PostgreSQL (make simulate's month loop on
# 3,000 synthetic customers with a drift month: validate, build-features, drift, train, promote,
# score), the built API on it with client traffic and feedback, live-performance, then the browser
# test of /dashboard (e2e/dashboard.mjs). Everything it starts is stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" != "--inner" ]]; then
  if [[ ! -x /usr/bin/chromium ]]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
  DASHBOARD_WORK=$(mktemp -d -t propel-dashboard-XXXXXX)
  export DASHBOARD_WORK
  trap 'rm -rf "$DASHBOARD_WORK"' EXIT
  node jobs/dist/db/with-postgres.js -- bash "$0" --inner
  exit
fi

work=$DASHBOARD_WORK
export LOG_LEVEL=warn
SIM_DIR=$work/sim SIM_CUSTOMERS=3000 SIM_MONTHS=6 SIM_RELEASED=3 SIM_DRIFT_MONTH=2020-05 SIM_EPOCHS=3 \
  bash scripts/simulate.sh >"$work/simulate.txt"
cat "$work/simulate.txt"

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
PORT=$port HOST=127.0.0.1 PREDICTION_LOG_FLUSH_MS=200 node api/dist/server.js >"$work/api.log" 2>&1 &
api=$!
trap 'kill "$api" 2>/dev/null || true' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 1 100); do
  curl -sf "$base/ready" >/dev/null && break
  kill -0 "$api" 2>/dev/null || { cat "$work/api.log"; exit 1; }
  sleep 0.2
done
curl -sf "$base/ready" >/dev/null || { echo "the API did not become ready" >&2; cat "$work/api.log"; exit 1; }

node e2e/send-traffic.mjs "$base" 600
sleep 1 # the prediction log flushes every 200 ms
LIVE_PERF_MIN_LABELLED=100 node jobs/dist/cli.js live-performance --period day | tail -n 1
node e2e/dashboard.mjs "$base"
