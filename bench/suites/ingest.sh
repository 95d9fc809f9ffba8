#!/usr/bin/env bash
# Ingest benchmark: ingest-sales vs psql \copy of the same file into the same table, side by side on
# one embedded PostgreSQL, and the ingest's peak RSS on 1M vs 10M rows. Writes bench/results/ingest.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v psql >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-client >/dev/null
fi
node jobs/dist/db/with-postgres.js -- node bench/suites/ingest/run.mjs
