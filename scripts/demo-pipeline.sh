#!/usr/bin/env bash
# The demo's pipeline, run with DATABASE_URL set (by with-postgres): schema, clients, every released
# sales month, then the row count of every table.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="node jobs/dist/cli.js"
summary() { tail -n 1; }

echo "demo: migrate" >&2
$JOBS migrate | summary
echo "demo: ingest-clients" >&2
$JOBS ingest-clients | summary
for file in "$DATA_SOURCE"/sales/*/sales.csv; do
  month=$(basename "$(dirname "$file")")
  echo "demo: ingest-sales --month ${month:0:7}" >&2
  $JOBS ingest-sales --month "${month:0:7}" | summary
done
$JOBS table-counts >/dev/null
