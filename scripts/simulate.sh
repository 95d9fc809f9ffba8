#!/usr/bin/env bash
# make simulate: the passing of time. Generates its own synthetic data (with a drift month) into
# $SIM_DIR, starts a throwaway embedded PostgreSQL (or uses DATABASE_URL), loads the first released
# months, then releases one month at a time and runs the pipeline on it: ingest-sales → validate →
# build-features → validate → drift → train → promote → score. Prints month / drifted / champion /
# AUCs / decision / reason.
set -euo pipefail
cd "$(dirname "$0")/.."
SIM_DIR=${SIM_DIR:-./data/simulate}
SIM_CUSTOMERS=${SIM_CUSTOMERS:-20000}
SIM_MONTHS=${SIM_MONTHS:-10}
SIM_RELEASED=${SIM_RELEASED:-3}
SIM_DRIFT_MONTH=${SIM_DRIFT_MONTH:-2020-07}
SIM_SEED=${SIM_SEED:-42}
SIM_EPOCHS=${SIM_EPOCHS:-8}
export DATA_SOURCE=$SIM_DIR/source DATA_POOL=$SIM_DIR/pool SYNTH_MANIFEST=$SIM_DIR/manifest.json
export LOG_LEVEL=${LOG_LEVEL:-warn} MODEL_EXPORT_DIR=${MODEL_EXPORT_DIR:-$SIM_DIR/models}
JOBS="node jobs/dist/cli.js"

if [[ "${1:-}" != "--inner" ]]; then
  rm -rf "$SIM_DIR"
  mkdir -p "$SIM_DIR"
  echo "simulate: $SIM_CUSTOMERS customers, $SIM_MONTHS months ($SIM_RELEASED released), drift from $SIM_DRIFT_MONTH" >&2
  $JOBS synth generate --customers "$SIM_CUSTOMERS" --months "$SIM_MONTHS" --released "$SIM_RELEASED" \
    --seed "$SIM_SEED" --drift-month "$SIM_DRIFT_MONTH" >/dev/null
  exec node jobs/dist/db/with-postgres.js -- bash "$0" --inner
fi

TABLE=$SIM_DIR/table.tsv
printf 'month\tdrifted\tchampion\tchampion AUC\tchallenger AUC\tdecision\treason\n' >"$TABLE"

# Runs a job; prints its JSON summary (last stdout line); exit 99 (nothing to do) is not a failure.
job() {
  local out rc=0
  out=$($JOBS "$@") || rc=$?
  if [[ $rc -ne 0 && $rc -ne 99 ]]; then
    echo "simulate: '$*' failed with exit $rc" >&2
    exit "$rc"
  fi
  tail -n 1 <<<"$out"
}

# One month through the pipeline, then a row of the table.
month_step() {
  local month=$1 promote_json drift_json
  job ingest-sales --month "$month" >/dev/null
  job validate --dataset sales --month "$month" >/dev/null
  job build-features --as-of "$month" >/dev/null
  job validate --dataset features --as-of "$month" >/dev/null
  drift_json=$(job drift --as-of "$month")
  job train --as-of "$month" --epochs "$SIM_EPOCHS" >/dev/null
  promote_json=$(job promote --as-of "$month")
  job score --as-of "$month" >/dev/null
  node -e '
    const r = JSON.parse(process.argv[1]);
    const drifted = (JSON.parse(process.argv[3]).drifted ?? []).map((d) => d.split(" ")[0]).join(",") || "-";
    const f = (v) => (typeof v === "number" ? v.toFixed(4) : "-");
    const decision = r.promoted === undefined ? "-" : r.promoted ? "promote" : "keep";
    console.log([process.argv[2], drifted, r.champion ?? "none", f(r.champion_auc), f(r.challenger_auc), decision,
      r.reason ?? r.message ?? ""].join("\t"));
  ' "$promote_json" "$month" "$drift_json" >>"$TABLE"
}

job migrate >/dev/null
job ingest-clients >/dev/null
for file in "$DATA_SOURCE"/sales/*/sales.csv; do
  month=$(basename "$(dirname "$file")")
  month_step "${month:0:7}"
done
while :; do
  rc=0
  released=$($JOBS synth release-month) || rc=$?
  [[ $rc -eq 99 ]] && break
  [[ $rc -ne 0 ]] && exit "$rc"
  month=$(tail -n 1 <<<"$released" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).month))')
  job ingest-clients >/dev/null
  month_step "${month:0:7}"
done
bayes=$(node -e 'console.log(require(require("path").resolve(process.argv[1])).bayes_auc ?? "-")' "$SYNTH_MANIFEST")
echo
echo "Bayes-optimal ROC-AUC of the generator: $bayes"
column -t -s $'\t' "$TABLE"
